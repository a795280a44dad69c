import ArgumentParser
import Foundation
import PKI

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show a certificate as the node sees it (principal DN, username, SANs, EKU, validity, revocation).")

    @Argument(help: "Certificate file (PEM or DER); the first certificate is shown.") var file: String
    @Option(help: "CRL to check against (default: crl.pem next to the certificate, if present).") var crl: String?

    func run() throws {
        guard let certificate = try PEMFile.readCertificates(at: file).first else {
            throw CommandFailure("\(file): no certificate")
        }
        let crlPath = crl ?? URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("crl.pem").path
        var list: CertificateRevocationList?
        if crl != nil || FileManager.default.fileExists(atPath: crlPath) {
            list = try CertificateRevocationList(fileContent: try PEMFile.readBytes(at: crlPath), source: crlPath)
        }
        CertificateInspection(certificate).lines(crl: list).forEach { print($0) }
    }
}
