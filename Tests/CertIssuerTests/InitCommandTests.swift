import Foundation
import Testing

/// `cert-issuer init` against the repository's default plan, checked with openssl.
struct InitCommandTests {
    static let leaves = ["search-node", "admin", "CLIENT1", "beats-shipper"]

    @Test func everySubcommandHasHelp() throws {
        try Lab.withLab { lab in
            for command in ["init", "issue", "sign", "revoke", "inspect", "verify"] {
                let result = try lab.certIssuer(command, "--help")
                #expect(result.status == 0)
                #expect(result.stdout.contains("USAGE: cert-issuer \(command)"))
            }
        }
    }

    @Test func initWritesFilesThatOpenSSLAccepts() throws {
        try Lab.withLab { lab in
            try lab.copyDefaultPlan()
            let result = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "issued: root-ca, search-node, admin, CLIENT1, beats-shipper\nunchanged: (none)\ncrl.pem: written\n")
            #expect(try Set(lab.snapshot("certs").keys) == Set(["root-ca.pem", "root-ca-key.pem", "crl.pem", "manifest.json"]
                + Self.leaves.flatMap { ["\($0).pem", "\($0)-key.pem"] }))
            for name in Self.leaves {
                let verify = try lab.openssl("verify", "-CAfile", "certs/root-ca.pem", "certs/\(name).pem")
                #expect(verify.stdout == "certs/\(name).pem: OK\n")
            }
            for name in ["root-ca"] + Self.leaves {
                let key = "certs/\(name)-key.pem"
                #expect(try lab.openssl("pkey", "-in", key, "-noout").status == 0)
                #expect(lab.read(key)?.hasPrefix("-----BEGIN PRIVATE KEY-----\n") == true)
                let mode = try FileManager.default.attributesOfItem(atPath: lab.path(key))[.posixPermissions] as? Int
                #expect(mode == 0o600)
            }
            let subjects = try Self.leaves.map { try lab.openssl("x509", "-in", "certs/\($0).pem", "-noout", "-subject", "-nameopt", "RFC2253").stdout }
            #expect(subjects == [
                "subject=CN=search-node,OU=node,O=certlab\n", "subject=CN=admin,OU=lab,O=certlab\n",
                "subject=CN=CLIENT1,OU=lab,O=certlab\n", "subject=CN=beats-shipper,OU=lab,O=certlab\n",
            ])
            let node = try lab.openssl("x509", "-in", "certs/search-node.pem", "-noout", "-text").stdout
            #expect(node.contains("Registered ID:1.2.3.4.5.5, DNS:search-node, DNS:localhost, IP Address:127.0.0.1"))
            #expect(node.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
            #expect(node.contains("Digital Signature, Key Encipherment"))
            let admin = try lab.openssl("x509", "-in", "certs/admin.pem", "-noout", "-text").stdout
            #expect(admin.contains("X509v3 Extended Key Usage: \n                TLS Web Client Authentication\n"))
            #expect(try lab.openssl("crl", "-in", "certs/crl.pem", "-noout", "-text").stdout.contains("No Revoked Certificates."))
            let serial = try lab.openssl("x509", "-in", "certs/admin.pem", "-noout", "-serial").stdout
            #expect(serial.count == "serial=".count + 32 + 1)
        }
    }

    @Test func secondInitLeavesEveryByteUnchanged() throws {
        try Lab.withLab { lab in
            try lab.copyDefaultPlan()
            #expect(try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs").status == 0)
            let before = try lab.snapshot("certs")
            let second = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs")
            #expect(second.stdout == "issued: (none)\nunchanged: root-ca, search-node, admin, CLIENT1, beats-shipper\ncrl.pem: unchanged\n")
            #expect(try lab.snapshot("certs") == before)
        }
    }

    @Test func changedPlanEntryReissuesOnlyThatCertificate() throws {
        try Lab.withLab { lab in
            try lab.copyDefaultPlan()
            #expect(try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs").status == 0)
            let before = try lab.snapshot("certs")
            let plan = try #require(lab.read("certs.yml"))
            try lab.write("certs.yml", plan.replacingOccurrences(of: "CN=CLIENT1,OU=lab,O=certlab", with: "CN=CLIENT1,OU=ops,O=certlab"))
            let result = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs")
            #expect(result.stdout.hasPrefix("issued: CLIENT1\n"))
            let after = try lab.snapshot("certs")
            let changed = Set(after.keys.filter { after[$0] != before[$0] })
            #expect(changed == ["CLIENT1.pem", "CLIENT1-key.pem", "manifest.json"])
            #expect(try lab.openssl("x509", "-in", "certs/CLIENT1.pem", "-noout", "-subject", "-nameopt", "RFC2253").stdout
                == "subject=CN=CLIENT1,OU=ops,O=certlab\n")
        }
    }

    @Test func renewWithinReissuesCertificatesThatExpireSoon() throws {
        try Lab.withLab { lab in
            try lab.copyDefaultPlan()
            let plan = try #require(lab.read("certs.yml"))
            try lab.write("certs.yml", plan.replacingOccurrences(of: "  validity_days: 825", with: "  validity_days: 20"))
            #expect(try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs", "--renew-within", "10").status == 0)
            let kept = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs", "--renew-within", "10")
            #expect(kept.stdout.hasPrefix("issued: (none)\n"))
            let before = try lab.snapshot("certs")
            let renewed = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs", "--renew-within", "30")
            #expect(renewed.stdout == "issued: search-node, admin, CLIENT1, beats-shipper\nunchanged: root-ca\ncrl.pem: unchanged\n")
            #expect(try lab.snapshot("certs")["root-ca.pem"] == before["root-ca.pem"])
            #expect(try lab.snapshot("certs")["admin.pem"] != before["admin.pem"])
        }
    }

    @Test func forceReissuesEverything() throws {
        try Lab.withLab { lab in
            try lab.copyDefaultPlan()
            #expect(try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs").status == 0)
            let before = try lab.snapshot("certs")
            let forced = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs", "--force")
            #expect(forced.stdout == "issued: root-ca, search-node, admin, CLIENT1, beats-shipper\nunchanged: (none)\ncrl.pem: written\n")
            let after = try lab.snapshot("certs")
            #expect(after.keys.sorted() == before.keys.sorted())
            #expect(after.keys.allSatisfy { after[$0] != before[$0] })
            #expect(try lab.openssl("verify", "-CAfile", "certs/root-ca.pem", "certs/admin.pem").status == 0)
        }
    }
}
