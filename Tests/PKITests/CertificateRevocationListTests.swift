import Foundation
import PKI
import Testing
import X509

/// The SwiftASN1 CRL against `openssl crl` and `openssl verify -crl_check` (reference §1.5).
struct CertificateRevocationListTests {
    let thisUpdate = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z

    @Test func revokedCertificateFailsOpenSSLCRLCheckAndOthersPass() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let ca = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root,O=certlab"))
            let revoked = try ca.issue(CertificateRequest(subject: try DistinguishedName(parsing: "CN=gone"), profile: .client))
            let fine = try ca.issue(CertificateRequest(subject: try DistinguishedName(parsing: "CN=fine"), profile: .client))
            let crl = try CertificateRevocationList(
                authority: ca, entries: [.init(serial: revoked.certificate.serialNumber, revocationDate: Date(), reason: .keyCompromise)], number: 7)
            try (PEMFile.pem(ca.certificate) + crl.pemString).write(to: directory.appendingPathComponent("ca+crl.pem"), atomically: true, encoding: .utf8)
            try PEMFile.pem(revoked.certificate).write(to: directory.appendingPathComponent("gone.pem"), atomically: true, encoding: .utf8)
            try PEMFile.pem(fine.certificate).write(to: directory.appendingPathComponent("fine.pem"), atomically: true, encoding: .utf8)
            let gone = try OpenSSL.run(["verify", "-crl_check", "-CAfile", "ca+crl.pem", "gone.pem"], in: directory)
            #expect(gone.status != 0)
            #expect(gone.stderr.contains("certificate revoked"))
            #expect(try OpenSSL.run(["verify", "-crl_check", "-CAfile", "ca+crl.pem", "fine.pem"], in: directory).stdout == "fine.pem: OK\n")
        }
    }

    @Test func openSSLPrintsVersionReasonNumberAndDatesFromPEMAndDER() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let ca = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root,O=certlab"))
            let serial = try CertificateSerial.parse("0A1B2C3D4E5F60718293A4B5C6D7E8F9")
            let crl = try CertificateRevocationList(
                authority: ca, entries: [.init(serial: serial, revocationDate: thisUpdate, reason: .superseded)], number: 3,
                thisUpdate: thisUpdate, validityDays: 7)
            try crl.pemString.write(to: directory.appendingPathComponent("crl.pem"), atomically: true, encoding: .utf8)
            try Data(crl.derBytes).write(to: directory.appendingPathComponent("crl.der"))
            for (file, form) in [("crl.pem", "PEM"), ("crl.der", "DER")] {
                let text = try OpenSSL.run(["crl", "-in", file, "-inform", form, "-noout", "-text"], in: directory)
                #expect(text.status == 0, "\(text.stderr)")
                #expect(text.stdout.contains("Version 2 (0x1)"))
                #expect(text.stdout.contains("Issuer: O = certlab, CN = root"))
                #expect(text.stdout.contains("Last Update: Jan 15 08:00:00 2027 GMT"))
                #expect(text.stdout.contains("Next Update: Jan 22 08:00:00 2027 GMT"))
                #expect(text.stdout.contains("X509v3 CRL Number: \n                3\n"))
                #expect(text.stdout.contains("Serial Number: 0A1B2C3D4E5F60718293A4B5C6D7E8F9"))
                #expect(text.stdout.contains("X509v3 CRL Reason Code: \n                Superseded\n"))
            }
        }
    }

    @Test func parsesItsOwnOutputAndOpenSSLsCRLs() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let ca = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root,O=certlab"), keyType: .rsa2048)
            let serial = try CertificateSerial.parse("7F")
            let crl = try CertificateRevocationList(
                authority: ca, entries: [.init(serial: serial, revocationDate: thisUpdate, reason: .cessationOfOperation)], number: 12,
                thisUpdate: thisUpdate)
            let parsed = try CertificateRevocationList(fileContent: Array(crl.pemString.utf8), source: "crl.pem")
            #expect(parsed.number == 12)
            #expect(parsed.thisUpdate == thisUpdate)
            #expect(parsed.nextUpdate == thisUpdate.addingTimeInterval(30 * 86_400))
            #expect(parsed.entries == [.init(serial: serial, revocationDate: thisUpdate, reason: .cessationOfOperation)])
            #expect(parsed.isSigned(by: ca.certificate))
            let other = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root,O=certlab"))
            #expect(!parsed.isSigned(by: other.certificate))

            // A CRL written by `openssl ca -gencrl` parses too.
            try PEMFile.pem(ca.certificate).write(to: directory.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
            try PrivateKeyFile.pem(ca.privateKey).write(to: directory.appendingPathComponent("ca-key.pem"), atomically: true, encoding: .utf8)
            try "".write(to: directory.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
            try "[ca]\ndefault_ca = lab\n[lab]\ndatabase = index.txt\ndefault_md = sha256\ndefault_crl_days = 5\n"
                .write(to: directory.appendingPathComponent("ca.cnf"), atomically: true, encoding: .utf8)
            let gen = try OpenSSL.run(["ca", "-config", "ca.cnf", "-gencrl", "-cert", "ca.pem", "-keyfile", "ca-key.pem", "-out", "o.pem"], in: directory)
            #expect(gen.status == 0, "\(gen.stderr)")
            let theirs = try CertificateRevocationList(fileContent: Array(try Data(contentsOf: directory.appendingPathComponent("o.pem"))), source: "o.pem")
            #expect(theirs.entries.isEmpty)
            #expect(theirs.isSigned(by: ca.certificate))
        }
    }

    @Test func garbageIsAClearError() {
        #expect(pkiError { _ = try CertificateRevocationList(fileContent: Array("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8), source: "crl.pem") }
            == PKIError(.crl, "crl.pem: no \"-----BEGIN X509 CRL-----\" block"))
        #expect(pkiError { _ = try CertificateRevocationList.Reason(parsing: "lost") }?.message.hasPrefix("unknown revocation reason \"lost\"") == true)
    }
}
