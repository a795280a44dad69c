import ArgumentParser
import PKI

struct IssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue", abstract: "Issue one certificate (with a new key) from the folder's CA.")

    @Option(help: "File name stem: writes NAME.pem and NAME-key.pem.") var name: String
    @Option(help: "Subject DN in principal order, e.g. CN=CLIENT2,OU=lab,O=certlab.") var dn: String
    @Option(help: "DNS subject alternative name (repeatable).") var dns: [String] = []
    @Option(help: "IP subject alternative name (repeatable).") var ip: [String] = []
    @Option(help: "Registered-ID SAN for node certificates, e.g. 1.2.3.4.5.5.") var oid: String?
    @Option(help: "client, admin or node.") var profile = "client"
    @Option(help: "Validity in days.") var days = 825
    @Option(help: "ec-p256, ec-p384, rsa-2048, rsa-3072 or rsa-4096.") var keyType = "ec-p256"
    @Option(help: "The certificate folder written by init.") var out = "certs"

    func run() throws {
        let profile = try CertificateProfile(parsing: profile)
        guard !profile.isCertificateAuthority else { throw ValidationError("--profile must be client, admin or node") }
        let request = CertificateRequest(
            subject: try DistinguishedName(parsing: dn), profile: profile, dnsNames: dns, ipAddresses: ip, registeredID: oid,
            validityDays: days, keyType: try KeyType(parsing: keyType))
        let directory = try CertificateDirectory(path: out, create: false)
        let certificate = try CertificateIssuance.issue(request, name: name, directory: directory)
        print("wrote \(directory.filePath("\(name).pem")) and \(directory.filePath("\(name)-key.pem"))")
        print("principal: \(certificate.principal)")
        print("serial: \(CertificateSerial.hex(certificate.serialNumber))")
    }
}
