import ArgumentParser
import PKI

struct RevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a certificate by name or serial and re-sign crl.pem.")

    @Argument(help: "Name of a certificate in the folder's manifest.") var name: String?
    @Option(help: "Serial in hex, as printed by openssl x509 -serial.") var serial: String?
    @Option(help: "keyCompromise, superseded, cessationOfOperation, affiliationChanged, ...") var reason: String?
    @Option(help: "The certificate folder written by init.") var out = "certs"

    func validate() throws {
        guard (name == nil) != (serial == nil) else { throw ValidationError("give either NAME or --serial HEX") }
    }

    func run() throws {
        let directory = try CertificateDirectory(path: out, create: false)
        let hex = try CertificateIssuance.revoke(
            name: name, serial: serial, reason: try reason.map(CertificateRevocationList.Reason.init(parsing:)), directory: directory)
        print("revoked serial \(hex); \(directory.filePath(CertificateIssuance.crlFile)) updated")
    }
}
