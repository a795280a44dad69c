import Foundation
import NIOSSL
import Synchronization
import Testing
@testable import Shipper

/// The checks that need the node's presented chain (reference §3.2): `test output`'s TLS
/// version and chain, `ssl.ca_trusted_fingerprint`, `strict`'s SAN-only rule, and an encrypted
/// client key with `ssl.key_passphrase`.
@Suite(.serialized) struct TLSPreflightTests {
    typealias Certificates = TLSOutputTests.Certificates

    /// Runs `test output` against a fake node with `tls`, dialled as `host`, with these `ssl.*` lines.
    func probe(_ tls: TLSConfiguration, host: String = "127.0.0.1", ssl: [String], in certificates: Certificates) async throws -> (passed: Bool, lines: [String]) {
        let lines = Mutex<[String]>([])
        let passed = try await FakeNode().serve(tls: tls) { port in
            let config = try ShipperConfig.parse("""
                filebeat.inputs: [{paths: [a.log]}]
                output.elasticsearch:
                  hosts: ["https://\(host):\(port)"]
                \(ssl.map { "  " + $0 }.joined(separator: "\n"))
                """, file: "tls.yml", baseDirectory: certificates.path)
            return await OutputProbe.run(config.output) { line in lines.withLock { $0.append(line) } }
        }
        return (passed, lines.withLock { $0 })
    }

    /// `openssl x509 -fingerprint -sha256` of a PEM file, colons kept (users paste it so).
    func fingerprint(_ name: String, in certificates: Certificates) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["x509", "-fingerprint", "-sha256", "-noout", "-in", certificates.path + "/\(name).pem"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return try #require(text.split(separator: "=").last).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The node's leaf followed by its CA, as docker-elk serves it for fingerprint trust.
    func fullChain(_ certificates: Certificates) throws -> TLSConfiguration {
        let leaf = try NIOSSLCertificate.fromPEMFile(certificates.path + "/node-ip.pem")
        let ca = try NIOSSLCertificate.fromPEMFile(certificates.path + "/ca.pem")
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: (leaf + ca).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: certificates.path + "/node-ip-key.pem", format: .pem)))
    }

    @Test func testOutputReportsVersionAndPresentedChain() async throws {
        let certificates = try Certificates()
        let result = try await probe(try certificates.server("node-ip"),
                                     ssl: ["ssl.certificate_authorities: [ca.pem]"], in: certificates)
        #expect(result.passed, "\(result.lines)")
        let leaf = try fingerprint("node-ip", in: certificates).lowercased().replacingOccurrences(of: ":", with: "")
        let tls = try #require(result.lines.firstIndex(of: "    TLS version: TLSv1.3"), "\(result.lines)")
        #expect(Array(result.lines[tls + 1 ... tls + 3]) == [
            "    certificate chain presented by the node:",
            "      0: subject CN=node",
            "         issuer CN=Test Root CA",
        ])
        #expect(result.lines[tls + 4].hasPrefix("         valid 20") && result.lines[tls + 4].hasSuffix("Z"))
        #expect(result.lines[tls + 5] == "         sha256 \(leaf)")
        #expect(result.lines.contains("    handshake... OK"))
    }

    @Test func caTrustedFingerprintTrustsTheCAFromThePresentedChain() async throws {
        let certificates = try Certificates()
        let ca = try fingerprint("ca", in: certificates)
        // No certificate_authorities: without the fingerprint the chain is untrusted.
        let untrusted = try await probe(try fullChain(certificates), ssl: [], in: certificates)
        #expect(!untrusted.passed)
        #expect(untrusted.lines.last?.hasPrefix("    handshake... ERROR TLS handshake failed") == true, "\(untrusted.lines)")

        let trusted = try await probe(try fullChain(certificates), ssl: ["ssl.ca_trusted_fingerprint: \"\(ca)\""], in: certificates)
        #expect(trusted.passed, "\(trusted.lines)")
        #expect(trusted.lines.contains("    ca_trusted_fingerprint... OK matches CN=Test Root CA, trusted for this run"))
        #expect(trusted.lines.contains("      1: subject CN=Test Root CA"))

        // The node sends only its leaf: nothing to match, verification fails as before.
        let leafOnly = try await probe(try certificates.server("node-ip"), ssl: ["ssl.ca_trusted_fingerprint: \"\(ca)\""], in: certificates)
        #expect(!leafOnly.passed)
        #expect(leafOnly.lines.contains("    ca_trusted_fingerprint... WARN no CA certificate in the presented chain has this fingerprint"))

        // The leaf's own fingerprint: it is in the chain but is not a CA, so it is not trusted.
        let leaf = try fingerprint("node-ip", in: certificates)
        let notCA = try await probe(try fullChain(certificates), ssl: ["ssl.ca_trusted_fingerprint: \"\(leaf)\""], in: certificates)
        #expect(!notCA.passed)
        #expect(notCA.lines.contains("    ca_trusted_fingerprint... WARN no CA certificate in the presented chain has this fingerprint"))
    }

    @Test func strictRefusesACertificateWithoutSANsThatFullAccepts() async throws {
        let certificates = try Certificates()
        try certificates.issue("node-cn", subject: "/CN=localhost", extensions: "basicConstraints=CA:FALSE")
        let ssl = ["ssl.certificate_authorities: [ca.pem]"]
        let full = try await probe(try certificates.server("node-cn"), host: "localhost", ssl: ssl + ["ssl.verification_mode: full"], in: certificates)
        #expect(full.passed, "\(full.lines)")
        let strict = try await probe(try certificates.server("node-cn"), host: "localhost", ssl: ssl + ["ssl.verification_mode: strict"], in: certificates)
        #expect(!strict.passed)
        #expect(strict.lines.last == "    handshake... ERROR x509: certificate relies on legacy Common Name field, use SANs instead", "\(strict.lines)")
        // With a SAN for the host, strict passes and says so.
        let san = try await probe(try certificates.server("node-ip"), ssl: ssl + ["ssl.verification_mode: strict"], in: certificates)
        #expect(san.passed, "\(san.lines)")
        #expect(san.lines.contains("    SAN present (strict)... OK"))
    }

    @Test func encryptedClientKeyWithPassphrase() async throws {
        let certificates = try Certificates()
        try certificates.openssl("pkcs8", "-topk8", "-v2", "aes256", "-in", "client-key.pem", "-out", "client-key.enc.pem", "-passout", "pass:s3cret")
        try Data("s3cret\n".utf8).write(to: URL(fileURLWithPath: certificates.path + "/passphrase.txt"))
        let server = try certificates.server("node-ip", requireClientCertificate: true)
        let base = ["ssl.certificate_authorities: [ca.pem]", "ssl.certificate: client.pem", "ssl.key: client-key.enc.pem"]

        let inline = try await probe(server, ssl: base + ["ssl.key_passphrase: s3cret"], in: certificates)
        #expect(inline.passed, "\(inline.lines)")
        let fromFile = try await probe(server, ssl: base + ["ssl.key_passphrase_path: passphrase.txt"], in: certificates)
        #expect(fromFile.passed, "\(fromFile.lines)")

        let path = certificates.path
        let wrong = try await probe(server, ssl: base + ["ssl.key_passphrase: nope"], in: certificates)
        #expect(!wrong.passed)
        #expect(wrong.lines.last == "    certificates and key... ERROR client configuration: \(path)/client-key.enc.pem: cannot decrypt the key with ssl.key_passphrase (wrong passphrase?)")
        let missing = try await probe(server, ssl: base, in: certificates)
        #expect(missing.lines.last == "    certificates and key... ERROR client configuration: \(path)/client-key.enc.pem: the key is encrypted; set ssl.key_passphrase (or ssl.key_passphrase_path)")
        let plain = try await probe(server, ssl: ["ssl.certificate_authorities: [ca.pem]", "ssl.certificate: client.pem", "ssl.key: client-key.pem", "ssl.key_passphrase: s3cret"], in: certificates)
        #expect(plain.lines.last == "    certificates and key... ERROR client configuration: \(path)/client-key.pem: ssl.key_passphrase is set but the key is not encrypted (expected \"-----BEGIN ENCRYPTED PRIVATE KEY-----\")")
    }
}
