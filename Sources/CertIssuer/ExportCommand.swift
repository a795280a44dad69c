import ArgumentParser
import Foundation
import PKCS12
import PKI

/// `cert-issuer export NAME --p12`: one issued identity as a PKCS#12 file for a browser's
/// certificate manager or a Java keystore (issue #10, docs/07-dashboard.md). The file holds the
/// private key, so it is written with mode 0600 like the `-key.pem` files.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an issued certificate with its key and CA chain as a PKCS#12 (.p12) file.")

    @Argument(help: "Name of a certificate in the folder (NAME.pem and NAME-key.pem), e.g. CLIENT1.") var name: String
    @Flag(help: "Write PKCS#12 (the only export format).") var p12 = false
    @Option(help: "Password protecting the key and the file's MAC (default: empty; Java keytool and macOS want one).")
    var password = ""
    @Option(help: "Output file (default: CERTS/NAME.p12).") var out: String?
    @Option(help: "The certificate folder written by init.") var certs = "certs"

    func validate() throws {
        guard p12 else { throw ValidationError("choose the export format: --p12") }
    }

    func run() throws {
        let directory = try CertificateDirectory(path: certs, create: false)
        let certificate = try input(directory, "\(name).pem") {
            let known = (try? CertificateManifest.load(from: directory).certificates.keys.sorted()) ?? []
            return "no certificate named \(name) in \(certs)" + (known.isEmpty ? "" : " (issued: \(known.joined(separator: ", ")))")
        }
        let key = try input(directory, "\(name)-key.pem") { "no private key for \(name); export needs the key issued with the certificate" }
        let root = try input(directory, "\(CertificateIssuance.rootFile).pem") { "no root CA certificate; run cert-issuer init first" }
        let bundle = try PKCS12Bundle.make(certificate: certificate, privateKey: key, chain: [root], friendlyName: name, password: password)
        let target = URL(fileURLWithPath: out ?? directory.filePath("\(name).p12"))
        let folder = try CertificateDirectory(path: target.deletingLastPathComponent().path, create: true)
        try folder.commit([CertificateDirectory.File(name: target.lastPathComponent, content: bundle, mode: 0o600)])
        print("wrote \(out ?? directory.filePath("\(name).p12")) (PKCS#12: \(name) with its key and CA chain, friendly name \"\(name)\", \(password.isEmpty ? "empty password" : "password protected"))")
    }

    /// A file of the folder, or a failure naming the path and `missing()`'s explanation.
    private func input(_ directory: CertificateDirectory, _ file: String, missing: () -> String) throws -> PKCS12Bundle.PEMInput {
        guard let bytes = directory.read(file) else { throw CommandFailure("\(directory.filePath(file)): \(missing())") }
        return PKCS12Bundle.PEMInput(bytes: bytes, source: directory.filePath(file))
    }
}
