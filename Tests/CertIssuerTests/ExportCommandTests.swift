import Foundation
import Testing

/// `cert-issuer export NAME --p12` (issue #10): the bundle OpenSSL must read back — the leaf with
/// its key under the friendly name NAME, the CA chain — and the clear errors for bad input.
struct ExportCommandTests {
    func initialised(_ lab: Lab, plan: String? = nil) throws {
        if let plan { try lab.write("certs.yml", plan) } else { try lab.copyDefaultPlan() }
        let result = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs")
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// The public key of a PEM private key file, to compare keys without printing them.
    func publicKey(_ lab: Lab, _ keyFile: String) throws -> String {
        try lab.openssl("pkey", "-in", keyFile, "-pubout").stdout
    }

    @Test func openSSLReadsTheBundleWithFriendlyNameKeyAndChain() throws {
        try Lab.withLab { lab in
            try initialised(lab)
            let export = try lab.certIssuer("export", "CLIENT1", "--p12", "--password", "s3cret", "--certs", "certs")
            #expect(export.status == 0, "\(export.stderr)")
            #expect(export.stdout == "wrote certs/CLIENT1.p12 (PKCS#12: CLIENT1 with its key and CA chain, friendly name \"CLIENT1\", password protected)\n")
            let mode = try FileManager.default.attributesOfItem(atPath: lab.path("certs/CLIENT1.p12"))[.posixPermissions] as? Int
            #expect(mode == 0o600)

            let info = try lab.openssl("pkcs12", "-info", "-in", "certs/CLIENT1.p12", "-passin", "pass:s3cret", "-nodes")
            #expect(info.status == 0, "\(info.stderr)")
            #expect(info.stderr.contains("MAC: sha256, Iteration 2048"))
            #expect(info.stderr.contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC"))
            #expect(info.stdout.contains("friendlyName: CLIENT1\n"))
            #expect(info.stdout.contains("-----BEGIN PRIVATE KEY-----"))

            let leaf = try lab.openssl("pkcs12", "-in", "certs/CLIENT1.p12", "-passin", "pass:s3cret", "-nokeys", "-clcerts")
            #expect(leaf.stdout.contains("subject=O = certlab, OU = lab, CN = CLIENT1\n"))
            let authorities = try lab.openssl("pkcs12", "-in", "certs/CLIENT1.p12", "-passin", "pass:s3cret", "-nokeys", "-cacerts")
            #expect(authorities.stdout.components(separatedBy: "subject=").count == 2)
            #expect(authorities.stdout.contains("subject=O = certlab, OU = lab, CN = certlab root CA\n"))

            #expect(try lab.openssl("pkcs12", "-in", "certs/CLIENT1.p12", "-passin", "pass:s3cret", "-nocerts", "-nodes", "-out", "key.pem").status == 0)
            #expect(try publicKey(lab, "key.pem") == (try publicKey(lab, "certs/CLIENT1-key.pem")))
            #expect(try lab.openssl("pkcs12", "-in", "certs/CLIENT1.p12", "-passin", "pass:s3cret", "-nokeys", "-clcerts", "-out", "leaf.pem").status == 0)
            #expect(try lab.openssl("verify", "-CAfile", "certs/root-ca.pem", "leaf.pem").stdout == "leaf.pem: OK\n")
        }
    }

    @Test func wrongPasswordIsRefusedAndEmptyPasswordIsTheDefault() throws {
        try Lab.withLab { lab in
            try initialised(lab)
            #expect(try lab.certIssuer("export", "CLIENT1", "--p12", "--password", "right", "--certs", "certs").status == 0)
            let wrong = try lab.openssl("pkcs12", "-in", "certs/CLIENT1.p12", "-passin", "pass:wrong", "-nokeys")
            #expect(wrong.status != 0)
            #expect(wrong.stderr.contains("Mac verify error: invalid password?"))

            let export = try lab.certIssuer("export", "admin", "--p12", "--certs", "certs", "--out", "browser/admin.p12")
            #expect(export.stdout == "wrote browser/admin.p12 (PKCS#12: admin with its key and CA chain, friendly name \"admin\", empty password)\n")
            let read = try lab.openssl("pkcs12", "-in", "browser/admin.p12", "-passin", "pass:", "-nokeys", "-clcerts")
            #expect(read.status == 0, "\(read.stderr)")
            #expect(read.stdout.contains("subject=O = certlab, OU = lab, CN = admin\n"))
        }
    }

    @Test func anIntermediateJoinsTheChainOnce() throws {
        try Lab.withLab { lab in
            try initialised(lab, plan: """
                ca: {dn: "CN=root,O=chain"}
                intermediate: {dn: "CN=intermediate,O=chain"}
                clients: [{name: alice, dn: "CN=alice,O=chain"}]
                """)
            #expect(try lab.certIssuer("export", "alice", "--p12", "--password", "x", "--certs", "certs").status == 0)
            let authorities = try lab.openssl("pkcs12", "-in", "certs/alice.p12", "-passin", "pass:x", "-nokeys", "-cacerts").stdout
            let subjects = authorities.split(separator: "\n").filter { $0.hasPrefix("subject=") }
            #expect(subjects == ["subject=O = chain, CN = intermediate", "subject=O = chain, CN = root"])
        }
    }

    @Test func unknownNameMissingKeyForeignKeyAndNoFormatAreClearErrors() throws {
        try Lab.withLab { lab in
            try initialised(lab)
            let unknown = try lab.certIssuer("export", "NOPE", "--p12", "--certs", "certs")
            #expect(unknown.status != 0)
            #expect(unknown.stderr == "Error: certs/NOPE.pem: no certificate named NOPE in certs (issued: CLIENT1, admin, beats-shipper, root-ca, search-node)\n")

            try FileManager.default.removeItem(atPath: lab.path("certs/CLIENT1-key.pem"))
            let missing = try lab.certIssuer("export", "CLIENT1", "--p12", "--certs", "certs")
            #expect(missing.status != 0)
            #expect(missing.stderr == "Error: certs/CLIENT1-key.pem: no private key for CLIENT1; export needs the key issued with the certificate\n")

            try FileManager.default.copyItem(atPath: lab.path("certs/admin-key.pem"), toPath: lab.path("certs/CLIENT1-key.pem"))
            let foreign = try lab.certIssuer("export", "CLIENT1", "--p12", "--certs", "certs")
            #expect(foreign.status != 0)
            #expect(foreign.stderr == "Error: certs/CLIENT1-key.pem: private key does not belong to the certificate in certs/CLIENT1.pem\n")

            try lab.write("certs/garbage-key.pem", "not a key\n")
            try FileManager.default.copyItem(atPath: lab.path("certs/admin.pem"), toPath: lab.path("certs/garbage.pem"))
            let garbage = try lab.certIssuer("export", "garbage", "--p12", "--certs", "certs")
            #expect(garbage.stderr.hasPrefix("Error: certs/garbage-key.pem: not an unencrypted PEM private key ("))
            try lab.write("certs/garbage-key.pem", "")
            let empty = try lab.certIssuer("export", "garbage", "--p12", "--certs", "certs")
            #expect(empty.stderr == "Error: certs/garbage-key.pem: file is empty\n")
            try FileManager.default.copyItem(atPath: lab.path("certs/admin-key.pem"), toPath: lab.path("certs/empty-key.pem"))
            try lab.write("certs/empty.pem", "")
            let noCertificate = try lab.certIssuer("export", "empty", "--p12", "--certs", "certs")
            #expect(noCertificate.stderr == "Error: certs/empty.pem: file is empty\n")
            try lab.write("certs/empty.pem", "no certificate here\n")
            let noBlock = try lab.certIssuer("export", "empty", "--p12", "--certs", "certs")
            #expect(noBlock.stderr == "Error: certs/empty.pem: no PEM certificate (expected a \"-----BEGIN CERTIFICATE-----\" block)\n")

            let noFormat = try lab.certIssuer("export", "admin", "--certs", "certs")
            #expect(noFormat.status != 0)
            #expect(noFormat.stderr.hasPrefix("Error: choose the export format: --p12\n"))
            for name in ["NOPE", "CLIENT1", "garbage", "empty", "admin"] {
                #expect(!FileManager.default.fileExists(atPath: lab.path("certs/\(name).p12")))
            }
        }
    }
}
