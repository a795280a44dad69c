import Foundation
import Testing

/// Bad input: each a one-line error, a non-zero exit, and no partial files.
struct BadInputTests {
    @Test func malformedPlanNamesLineAndFieldAndWritesNothing() throws {
        try Lab.withLab { lab in
            try lab.write("plan.yml", "ca:\n  dn: \"CN=root\"\nnodes:\n  - name: n\n    dn: CN=n\n    ips: [localhost]\n")
            let result = try lab.certIssuer("init", "--plan", "plan.yml", "--out", "certs")
            #expect(result.status != 0)
            #expect(result.stderr == "Error: plan.yml:6: field nodes[0].ips[0]: \"localhost\" is not an IPv4 or IPv6 address\n")
            #expect(!FileManager.default.fileExists(atPath: lab.path("certs")))
        }
    }

    @Test func unknownKeyTypeIsRefused() throws {
        try Lab.withLab { lab in
            try lab.write("plan.yml", "ca:\n  dn: CN=root\n  key_type: ed448\n")
            let result = try lab.certIssuer("init", "--plan", "plan.yml", "--out", "certs")
            #expect(result.status != 0)
            #expect(result.stderr == "Error: plan.yml:3: field ca.key_type: unknown key type \"ed448\": expected one of ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096\n")
            #expect(!FileManager.default.fileExists(atPath: lab.path("certs")))
            let issue = try lab.certIssuer("issue", "--name", "x", "--dn", "CN=x", "--key-type", "dsa", "--out", "certs")
            #expect(issue.stderr.hasPrefix("Error: unknown key type \"dsa\""))
        }
    }

    @Test func garbagePEMIsAClearError() throws {
        try Lab.withLab { lab in
            try lab.write("junk.pem", "this is not a certificate\n")
            let result = try lab.certIssuer("inspect", "junk.pem")
            #expect(result.status != 0)
            #expect(result.stderr == "Error: junk.pem: neither PEM (no \"-----BEGIN CERTIFICATE-----\" line) nor a DER certificate\n")
        }
    }

    @Test func pkcs1KeyIsReportedWithTheConversion() throws {
        try Lab.withLab { lab in
            try lab.copyDefaultPlan()
            #expect(try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs").status == 0)
            #expect(try lab.openssl("genrsa", "-traditional", "-out", "rsa-key.pem", "2048").status == 0)
            let result = try lab.certIssuer("verify", "--cert", "certs/admin.pem", "--key", "rsa-key.pem", "--ca", "certs/root-ca.pem")
            #expect(result.status == 1)
            #expect(result.stdout.hasPrefix("problem: rsa-key.pem: key is PKCS#1 (\"BEGIN RSA PRIVATE KEY\"); the security plugin only reads PKCS#8 keys"))
            #expect(result.stdout.contains("Convert it: openssl pkcs8 -topk8 -nocrypt -in rsa-key.pem -out rsa-key.pkcs8.pem\n"))
        }
    }

    @Test func mismatchingCAKeyIsRefusedBeforeWriting() throws {
        try Lab.withLab { lab in
            try lab.copyDefaultPlan()
            #expect(try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs").status == 0)
            try FileManager.default.removeItem(atPath: lab.path("certs/root-ca-key.pem"))
            try FileManager.default.copyItem(atPath: lab.path("certs/admin-key.pem"), toPath: lab.path("certs/root-ca-key.pem"))
            let before = try lab.snapshot("certs")
            let result = try lab.certIssuer("issue", "--name", "x", "--dn", "CN=x", "--out", "certs")
            #expect(result.status != 0)
            #expect(result.stderr == "Error: certs/root-ca-key.pem: key does not match certs/root-ca.pem\n")
            #expect(try lab.snapshot("certs") == before)
        }
    }

    @Test func outputThatCannotBeADirectoryIsRefused() throws {
        try Lab.withLab { lab in
            try lab.copyDefaultPlan()
            try lab.write("certs", "a file, not a folder\n")
            let result = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs")
            #expect(result.status != 0)
            #expect(result.stderr == "Error: certs: output path exists and is not a directory\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: lab.directory.path).sorted() == ["certs", "certs.yml"])
            // Even root cannot create a folder under /proc.
            let proc = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "/proc/certlab-test")
            #expect(proc.status != 0)
            #expect(proc.stderr == "Error: /proc/certlab-test: cannot create output directory (No such file or directory)\n")
        }
    }

    @Test func revokeNeedsANameOrASerial() throws {
        try Lab.withLab { lab in
            let result = try lab.certIssuer("revoke", "--out", "certs")
            #expect(result.status != 0)
            #expect(result.stderr.hasPrefix("Error: give either NAME or --serial HEX\n"))
        }
    }
}
