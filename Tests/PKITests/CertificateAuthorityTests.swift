import Foundation
import PKI
import Testing
import X509

/// Issuing and CSR signing, checked with openssl.
struct CertificateAuthorityTests {
    @Test func intermediateChainWithRSAAndP384VerifiesWithOpenSSL() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let root = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root,O=certlab"), keyType: .rsa2048)
            let intermediate = try root.intermediate(subject: try DistinguishedName(parsing: "CN=issuing,O=certlab"), keyType: .ecP384)
            let node = try intermediate.issue(CertificateRequest(
                subject: try DistinguishedName(parsing: "CN=node-0.example.com,OU=node,O=node,L=test,DC=de"), profile: .node,
                dnsNames: ["node-0.example.com", "localhost"], ipAddresses: ["127.0.0.1", "::1"], registeredID: "1.2.3.4.5.5", validityDays: 10))
            try PEMFile.pem(root.certificate).write(to: directory.appendingPathComponent("root.pem"), atomically: true, encoding: .utf8)
            try PEMFile.pem(chain: [node.certificate] + node.chain.dropLast())
                .write(to: directory.appendingPathComponent("node.pem"), atomically: true, encoding: .utf8)
            let verify = try OpenSSL.run(["verify", "-CAfile", "root.pem", "-untrusted", "node.pem", "-purpose", "sslserver", "node.pem"], in: directory)
            #expect(verify.stdout == "node.pem: OK\n", "\(verify.stderr)")
            let text = try OpenSSL.run(["x509", "-in", "node.pem", "-noout", "-text"], in: directory).stdout
            #expect(text.contains("Registered ID:1.2.3.4.5.5, DNS:node-0.example.com, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"))
            #expect(text.contains("Signature Algorithm: ecdsa-with-SHA384"))
            #expect(text.contains("X509v3 Subject Key Identifier"))
            #expect(text.contains("X509v3 Authority Key Identifier"))
            #expect(node.certificate.principal == "CN=node-0.example.com,OU=node,O=node,L=test,DC=de")
            #expect(node.certificate.issuerPrincipal == "CN=issuing,O=certlab")
            #expect(node.certificate.serialNumber.bytes.count == 16)
            #expect(CertificateSerial.hex(node.certificate.serialNumber).count == 32)
        }
    }

    @Test func csrFromOpenSSLReqIsSignedAndKeepsItsKey() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let ca = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root,O=certlab"))
            #expect(try OpenSSL.run(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "k.pem", "-out", "r.csr",
                                     "-subj", "/C=de/L=test/O=client/OU=client/CN=kirk"], in: directory).status == 0)
            let csr = try CertificateSigningRequest(pemEncoded: String(contentsOf: directory.appendingPathComponent("r.csr"), encoding: .utf8))
            let cert = try ca.sign(csr: csr, profile: .client)
            #expect(cert.principal == "CN=kirk,OU=client,O=client,L=test,C=de")
            #expect(cert.publicKey == csr.publicKey)
            try PEMFile.pem(cert).write(to: directory.appendingPathComponent("c.pem"), atomically: true, encoding: .utf8)
            try PEMFile.pem(ca.certificate).write(to: directory.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
            #expect(try OpenSSL.run(["verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "c.pem"], in: directory).stdout == "c.pem: OK\n")
            let modulusCert = try OpenSSL.run(["x509", "-in", "c.pem", "-noout", "-modulus"], in: directory).stdout
            let modulusKey = try OpenSSL.run(["rsa", "-in", "k.pem", "-noout", "-modulus"], in: directory).stdout
            #expect(modulusCert == modulusKey)
        }
    }

    @Test func csrWithABrokenSignatureIsRefused() throws {
        let ca = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root"))
        let key = Certificate.PrivateKey(P256Key.make())
        let other = Certificate.PrivateKey(P256Key.make())
        let genuine = try CertificateSigningRequest(
            version: .v1, subject: try DistinguishedName(parsing: "CN=x").x509Name(), privateKey: key, attributes: .init(),
            signatureAlgorithm: .ecdsaWithSHA256)
        let csr = try CertificateSigningRequest(
            version: .v1, subject: genuine.subject, publicKey: other.publicKey, attributes: .init(),
            signatureAlgorithm: .ecdsaWithSHA256, signature: genuine.signature)
        #expect(throws: PKIError(.csr, "CSR signature does not verify: the request was altered or not signed by its own key")) {
            try ca.sign(csr: csr, profile: .client)
        }
    }

    @Test func caKeyMustMatch() throws {
        let ca = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root"))
        #expect(throws: PKIError(.keyMismatch, "CA key does not match CA certificate CN=root")) {
            try CertificateAuthority(certificate: ca.certificate, privateKey: try KeyType.ecP256.generate())
        }
    }

    @Test func serialsPrintLikeOpenSSL() throws {
        #expect(CertificateSerial.hex(Certificate.SerialNumber(bytes: [0x00, 0x0A, 0xFF])) == "0AFF")
        #expect(CertificateSerial.hex(try CertificateSerial.parse("0a:ff")) == "0AFF")
        #expect(CertificateSerial.hex(try CertificateSerial.parse("serial=0080")) == "80")
    }
}

import Crypto

enum P256Key {
    static func make() -> P256.Signing.PrivateKey { P256.Signing.PrivateKey() }
}
