import Foundation
import PKI
import Testing

/// `init` at library level: intermediates, revocations surviving re-runs, all-or-nothing writes.
struct CertificateIssuanceTests {
    @Test func intermediatePlanWritesChainsThatOpenSSLVerifies() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let plan = try CertificatePlan.parse(
                "ca:\n  dn: CN=root,O=certlab\nintermediate:\n  dn: CN=issuing,O=certlab\nclients:\n  - name: c1\n    dn: CN=c1,O=certlab\n",
                source: "p.yml")
            let folder = try CertificateDirectory(path: directory.appendingPathComponent("certs").path, create: true)
            let report = try CertificateIssuance.initialize(plan: plan, directory: folder)
            #expect(report.issued == ["root-ca", "intermediate-ca", "c1"])
            let verify = try OpenSSL.run(["verify", "-CAfile", "certs/root-ca.pem", "-untrusted", "certs/c1.pem", "certs/c1.pem"], in: directory)
            #expect(verify.stdout == "certs/c1.pem: OK\n", "\(verify.stderr)")
            let crl = try #require(try CertificateIssuance.loadCRL(folder))
            #expect(crl.issuer == (try CertificateIssuance.loadSigner(folder)).certificate.subject)
            #expect(DistinguishedName(crl.issuer).description == "CN=issuing,O=certlab")
        }
    }

    @Test func droppingTheIntermediateMakesTheRootSignAgain() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let leaves = "clients:\n  - name: c1\n    dn: CN=c1\n"
            let folder = try CertificateDirectory(path: directory.path, create: false)
            try CertificateIssuance.initialize(
                plan: try CertificatePlan.parse("ca:\n  dn: CN=root\nintermediate:\n  dn: CN=issuing\n" + leaves, source: "p.yml"), directory: folder)
            let report = try CertificateIssuance.initialize(plan: try CertificatePlan.parse("ca:\n  dn: CN=root\n" + leaves, source: "p.yml"), directory: folder)
            #expect(report == CertificateIssuance.Report(issued: ["c1"], kept: ["root-ca"], crlWritten: true))
            #expect(try CertificateIssuance.loadSigner(folder).certificate.principal == "CN=root")
            #expect(try OpenSSL.run(["verify", "-CAfile", "root-ca.pem", "c1.pem"], in: directory).stdout == "c1.pem: OK\n")
        }
    }

    @Test func revocationsSurviveLaterRunsUntilTheCAChanges() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let plan = try CertificatePlan.parse("ca:\n  dn: CN=root\nclients:\n  - name: c1\n    dn: CN=c1\n", source: "p.yml")
            let folder = try CertificateDirectory(path: directory.path, create: false)
            try CertificateIssuance.initialize(plan: plan, directory: folder)
            let serial = try CertificateIssuance.revoke(name: "c1", serial: nil, reason: .superseded, directory: folder)
            #expect(pkiError { try CertificateIssuance.revoke(name: nil, serial: serial, reason: nil, directory: folder) }
                == PKIError(.crl, "serial \(serial) is already revoked"))
            let report = try CertificateIssuance.initialize(plan: plan, directory: folder)
            #expect(!report.crlWritten)
            #expect(try CertificateIssuance.loadCRL(folder)?.entries.map { CertificateSerial.hex($0.serial) } == [serial])
            try CertificateIssuance.initialize(plan: plan, directory: folder, options: .init(force: true))
            #expect(try CertificateIssuance.loadCRL(folder)?.entries.isEmpty == true)
        }
    }

    @Test func failureHalfWayWritesNothing() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            // The registered ID is only checked when the node is issued, after the CA exists in memory.
            let plan = try CertificatePlan.parse(
                "ca:\n  dn: CN=root\nnodes:\n  - name: n\n    dn: CN=n\n    oid: not.an.oid\n", source: "p.yml")
            let folder = try CertificateDirectory(path: directory.path, create: false)
            #expect(pkiError { try CertificateIssuance.initialize(plan: plan, directory: folder) }
                == PKIError(.issuing, "registered ID \"not.an.oid\" is not a dotted OID such as 1.2.3.4.5.5"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
        }
    }

    @Test func tamperedCertificateIsReissued() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let plan = try CertificatePlan.parse("ca:\n  dn: CN=root\nclients:\n  - name: c1\n    dn: CN=c1\n", source: "p.yml")
            let folder = try CertificateDirectory(path: directory.path, create: false)
            try CertificateIssuance.initialize(plan: plan, directory: folder)
            try "junk\n".write(toFile: folder.filePath("c1.pem"), atomically: true, encoding: .utf8)
            #expect(try CertificateIssuance.initialize(plan: plan, directory: folder).issued == ["c1"])
        }
    }

    @Test func outputPathThatIsAFileIsRefused() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let file = directory.appendingPathComponent("certs").path
            try "x".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(pkiError { _ = try CertificateDirectory(path: file, create: true) }
                == PKIError(.io, "\(file): output path exists and is not a directory"))
        }
    }
}
