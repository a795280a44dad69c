import ArgumentParser
import Foundation
import PKI

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a certificate/key pair against a CA: chain, key match, key format, EKU, validity, hostname, CRL.")

    @Option(help: "Certificate file (leaf first; further certificates are used as intermediates).") var cert: String
    @Option(help: "Private key file (must be PKCS#8).") var key: String
    @Option(help: "CA certificate file (trust roots).") var ca: String
    @Option(help: "Host name or IP the certificate must cover.") var host: String?
    @Option(help: "client or server.") var usage: String?
    @Option(help: "CRL file to check the serial against.") var crl: String?

    func run() async throws {
        let usage = try usage.map { value in
            guard let parsed = CertificateUsage(rawValue: value) else { throw ValidationError("--usage must be client or server") }
            return parsed
        }
        let chain = try PEMFile.readCertificates(at: cert)
        let roots = try PEMFile.readCertificates(at: ca)
        let leaf = chain[0]
        var problems: [CertificateProblem] = []
        do {
            if let problem = CertificateCheck.keyMatches(leaf, try PrivateKeyFile.read(at: key)) { problems.append(problem) }
        } catch let error as PKIError {
            problems.append(CertificateProblem(error.message, fix: "write the key as PKCS#8 (see the message)"))
        }
        if let problem = await CertificateCheck.chain(leaf, intermediates: Array(chain.dropFirst()), roots: roots) { problems.append(problem) }
        if let problem = CertificateCheck.validity(leaf) { problems.append(problem) }
        if let usage, let problem = CertificateCheck.extendedKeyUsage(leaf, for: usage) { problems.append(problem) }
        if let host, let problem = CertificateCheck.hostname(leaf, matches: host) { problems.append(problem) }
        if let crl {
            let list = try CertificateRevocationList(fileContent: try PEMFile.readBytes(at: crl), source: crl)
            if let problem = CertificateCheck.notRevoked(leaf, crl: list) { problems.append(problem) }
        }
        guard problems.isEmpty else {
            for problem in problems { print("problem: \(problem.message)\n  fix: \(problem.fix)") }
            throw CommandFailure("\(cert): \(problems.count) problem\(problems.count == 1 ? "" : "s") found")
        }
        print("OK: \(leaf.principal) chains to \(roots.map(\.principal).joined(separator: "; ")), key matches")
    }
}
