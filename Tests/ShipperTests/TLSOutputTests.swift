import Foundation
import NIOSSL
import Synchronization
import Testing
@testable import Shipper

/// Filebeat's `ssl.verification_mode` meanings against a TLS fake node whose certificate
/// matches, lacks the host (only a DNS SAN), or comes from another CA; and a node that
/// requires a client certificate (reference §3.2). Certificates are made with the openssl CLI.
@Suite(.serialized) struct TLSOutputTests {
    /// A CA, node certificates and a client certificate in a temp dir.
    final class Certificates: Sendable {
        let directory = try! TemporaryDirectory()
        var path: String { directory.path }

        init() throws {
            try openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca-key.pem",
                        "-out", "ca.pem", "-subj", "/CN=Test Root CA", "-days", "2")
            try openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other-ca-key.pem",
                        "-out", "other-ca.pem", "-subj", "/CN=Other CA", "-days", "2")
            try issue("node-ip", subject: "/CN=node", extensions: "subjectAltName=IP:127.0.0.1")
            try issue("node-dns", subject: "/CN=127.0.0.1", extensions: "subjectAltName=DNS:other.example")
            try issue("node-other", subject: "/CN=node", extensions: "subjectAltName=IP:127.0.0.1", ca: "other-ca")
            try issue("client", subject: "/CN=beats-shipper/OU=lab/O=certlab", extensions: "extendedKeyUsage=clientAuth")
        }

        func issue(_ name: String, subject: String, extensions: String, ca: String = "ca") throws {
            try Data((extensions + "\n").utf8).write(to: URL(fileURLWithPath: path + "/\(name).ext"))
            try openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(name)-key.pem",
                        "-out", "\(name).csr", "-subj", subject)
            try openssl("x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca)-key.pem", "-CAcreateserial",
                        "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext")
        }

        func openssl(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: path)
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "openssl \(arguments.joined(separator: " ")) failed")
        }

        func server(_ name: String, requireClientCertificate: Bool = false) throws -> TLSConfiguration {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(path + "/\(name).pem").map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: path + "/\(name)-key.pem", format: .pem)))
            if requireClientCertificate {
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .file(path + "/ca.pem")
            }
            return configuration
        }
    }

    /// Runs `test output` against a TLS node; returns whether it passed and the printed lines.
    func probe(node certificate: String, mode: String, clientCertificate: Bool = true, requireClientCertificate: Bool = false,
               certificates: Certificates) async throws -> (passed: Bool, lines: [String]) {
        let node = FakeNode()
        let lines = Mutex<[String]>([])
        let client = clientCertificate ? "\n  ssl.certificate: \(certificates.path)/client.pem\n  ssl.key: \(certificates.path)/client-key.pem" : ""
        let passed = try await node.serve(tls: try certificates.server(certificate, requireClientCertificate: requireClientCertificate)) { port in
            let config = try ShipperConfig.parse("""
                filebeat.inputs: [{paths: [a.log]}]
                output.elasticsearch:
                  hosts: ["https://127.0.0.1:\(port)"]
                  ssl.certificate_authorities: [\(certificates.path)/ca.pem]
                  ssl.verification_mode: \(mode)\(client)
                """, file: "tls.yml", baseDirectory: certificates.path)
            return await OutputProbe.run(config.output) { line in lines.withLock { $0.append(line) } }
        }
        return (passed, lines.withLock { $0 })
    }

    @Test func verificationModes() async throws {
        let certificates = try Certificates()
        // Certificate for the IP that is dialled, from the trusted CA: every mode connects.
        for mode in ["full", "strict", "certificate", "none"] {
            let result = try await probe(node: "node-ip", mode: mode, certificates: certificates)
            #expect(result.passed, "\(mode): \(result.lines)")
            #expect(result.lines.contains("    handshake... OK"))
            #expect(result.lines.contains("  version: 7.10.2"))
        }
        // Only a DNS SAN that is not the host: the hostname check fails, chain-only passes.
        for (mode, passes) in [("full", false), ("strict", false), ("certificate", true), ("none", true)] {
            let result = try await probe(node: "node-dns", mode: mode, certificates: certificates)
            #expect(result.passed == passes, "\(mode): \(result.lines)")
            if !passes {
                #expect(result.lines.last?.hasPrefix("    handshake... ERROR hostname check failed: the node's certificate does not name 127.0.0.1 (") == true,
                        "\(result.lines)")
            }
        }
        // Signed by a CA that is not trusted: only `none` connects.
        for (mode, passes) in [("full", false), ("certificate", false), ("none", true)] {
            let result = try await probe(node: "node-other", mode: mode, certificates: certificates)
            #expect(result.passed == passes, "\(mode): \(result.lines)")
            if !passes { #expect(result.lines.last?.hasPrefix("    handshake... ERROR TLS handshake failed") == true, "\(result.lines)") }
        }
        let unverified = try await probe(node: "node-ip", mode: "none", certificates: certificates)
        #expect(unverified.lines.contains("    security... WARN server's certificate chain verification is disabled"))
        #expect(unverified.lines.contains("    hostname check: disabled (verification_mode: none)"))
    }

    @Test func clientCertificateRequiredByTheNode() async throws {
        let certificates = try Certificates()
        let with = try await probe(node: "node-ip", mode: "full", requireClientCertificate: true, certificates: certificates)
        #expect(with.passed, "\(with.lines)")
        #expect(with.lines.contains("    client certificate: \(certificates.path)/client.pem"))
        let without = try await probe(node: "node-ip", mode: "full", clientCertificate: false, requireClientCertificate: true, certificates: certificates)
        #expect(!without.passed)
    }

    @Test func badCertificateFilesAreClearErrors() throws {
        let certificates = try Certificates()
        try certificates.openssl("genrsa", "-traditional", "-out", "pkcs1-key.pem", "2048")
        let path = certificates.path
        func failure(_ ssl: String) throws -> String {
            let config = try ShipperConfig.parse("""
                filebeat.inputs: [{paths: [a.log]}]
                output.elasticsearch:
                  hosts: ["https://127.0.0.1:9200"]
                \(ssl)
                """, file: "tls.yml", baseDirectory: path)
            do {
                _ = try LogShipper(config: config, dataPath: path + "/data", logger: LogCapture().logger)
                return "no error"
            } catch {
                return error.message
            }
        }
        #expect(try failure("  ssl.certificate_authorities: [missing.pem]")
            == "output.elasticsearch.ssl: client configuration: \(path)/missing.pem: cannot read file (missing or not readable)")
        #expect(try failure("  ssl.certificate: client.pem\n  ssl.key: node-ip-key.pem")
            == "output.elasticsearch.ssl: client configuration: the key in \(path)/node-ip-key.pem does not belong to the certificate in \(path)/client.pem")
        let pkcs1 = try failure("  ssl.certificate: client.pem\n  ssl.key: pkcs1-key.pem")
        #expect(pkcs1.hasPrefix("output.elasticsearch.ssl: client configuration: "))
        #expect(pkcs1.contains("PKCS#1"), "\(pkcs1)")
    }
}
