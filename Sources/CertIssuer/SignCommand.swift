import ArgumentParser
import Foundation
import PKI

struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Sign a PKCS#10 CSR (e.g. from openssl req) with the folder's CA; the key stays with its owner.")

    @Option(help: "The CSR file (PEM or DER).") var csr: String
    @Option(help: "client, admin or node.") var profile = "client"
    @Option(help: "Where to write the signed certificate (PEM).") var out: String
    @Option(help: "DNS subject alternative name (repeatable).") var dns: [String] = []
    @Option(help: "IP subject alternative name (repeatable).") var ip: [String] = []
    @Option(help: "Validity in days.") var days = 825
    @Option(help: "The certificate folder written by init.") var certs = "certs"

    func run() throws {
        let profile = try CertificateProfile(parsing: profile)
        let directory = try CertificateDirectory(path: certs, create: false)
        let signed = try CertificateIssuance.sign(
            csr: try PEMFile.readBytes(at: csr), source: csr, profile: profile, dnsNames: dns, ipAddresses: ip, validityDays: days,
            directory: directory)
        let target = URL(fileURLWithPath: out)
        let outDirectory = try CertificateDirectory(path: target.deletingLastPathComponent().path, create: true)
        try outDirectory.commit([.public(target.lastPathComponent, signed.pem)])
        print("wrote \(out)")
        print("principal: \(signed.certificate.principal)")
        print("serial: \(CertificateSerial.hex(signed.certificate.serialNumber))")
    }
}
