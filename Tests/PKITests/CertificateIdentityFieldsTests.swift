import Foundation
import PKI
import Testing
import X509

/// Serial and principal straight from the DER, for certificates swift-certificates cannot model.
struct CertificateIdentityFieldsTests {
    @Test func agreesWithTheFullParseOnAnOrdinaryCertificate() throws {
        let root = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=root,O=certlab"))
        let leaf = try root.issue(CertificateRequest(subject: try DistinguishedName(parsing: #"CN=Doe\, John,OU=lab,O=certlab"#), profile: .client))
        let fields = try CertificateIdentityFields(derEncoded: try PEMFile.der(leaf.certificate))
        #expect(fields.serialNumber == leaf.certificate.serialNumber)
        #expect(fields.principal == #"CN=Doe\, John,OU=lab,O=certlab"#)
    }

    /// ecdsa-with-SHA1: `Certificate(derEncoded:)` throws, the fields still read.
    @Test func readsAnECDSASHA1CertificateThatTheFullParseRefuses() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            for step in [["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem"],
                         ["req", "-new", "-x509", "-sha1", "-key", "key.pem", "-subj", "/O=certlab/CN=sha1", "-set_serial", "4660", "-days", "2", "-outform", "DER", "-out", "cert.der"]] {
                let result = try OpenSSL.run(step, in: directory)
                #expect(result.status == 0, "\(result.stderr)")
            }
            let der = Array(try Data(contentsOf: directory.appendingPathComponent("cert.der")))
            #expect(throws: (any Error).self) { try Certificate(derEncoded: der) }
            let fields = try CertificateIdentityFields(derEncoded: der)
            #expect(fields.serialNumber == Certificate.SerialNumber(4660))
            #expect(fields.principal == "CN=sha1,O=certlab")
        }
    }

    @Test func garbageIsAnErrorNotACrash() {
        #expect(throws: (any Error).self) { try CertificateIdentityFields(derEncoded: [0x30, 0x03, 0x02, 0x01]) }
    }
}
