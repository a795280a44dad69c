import Foundation
import Testing

/// `issue`, `sign`, `revoke`, `inspect` and `verify` on a folder made by `init`.
struct SingleCertificateCommandTests {
    func initialised(_ lab: Lab) throws {
        try lab.copyDefaultPlan()
        let result = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs")
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func revokedCertificateFailsOpenSSLCRLCheck() throws {
        try Lab.withLab { lab in
            try initialised(lab)
            let revoke = try lab.certIssuer("revoke", "CLIENT1", "--reason", "keyCompromise", "--out", "certs")
            #expect(revoke.status == 0, "\(revoke.stderr)")
            let serial = try lab.openssl("x509", "-in", "certs/CLIENT1.pem", "-noout", "-serial").stdout.dropFirst(7).dropLast()
            #expect(revoke.stdout == "revoked serial \(serial); certs/crl.pem updated\n")
            try lab.write("ca+crl.pem", try #require(lab.read("certs/root-ca.pem")) + (try #require(lab.read("certs/crl.pem"))))
            let revoked = try lab.openssl("verify", "-crl_check", "-CAfile", "ca+crl.pem", "certs/CLIENT1.pem")
            #expect(revoked.status != 0)
            #expect(revoked.stderr.contains("certificate revoked"))
            #expect(try lab.openssl("verify", "-crl_check", "-CAfile", "ca+crl.pem", "certs/admin.pem").stdout == "certs/admin.pem: OK\n")
            let inspect = try lab.certIssuer("inspect", "certs/CLIENT1.pem")
            #expect(inspect.stdout.contains("\nrevocation: REVOKED since "))
            #expect(inspect.stdout.contains(" (keyCompromise)\n"))
            let again = try lab.certIssuer("init", "--plan", "certs.yml", "--out", "certs")
            #expect(again.stdout.hasSuffix("crl.pem: unchanged\n"))
        }
    }

    @Test func csrFromOpenSSLReqIsSigned() throws {
        try Lab.withLab { lab in
            try initialised(lab)
            #expect(try lab.openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "kirk-key.pem",
                                    "-out", "kirk.csr", "-subj", "/C=de/L=test/O=client/OU=client/CN=kirk").status == 0)
            let sign = try lab.certIssuer("sign", "--csr", "kirk.csr", "--profile", "client", "--out", "out/kirk.pem", "--certs", "certs")
            #expect(sign.status == 0, "\(sign.stderr)")
            #expect(sign.stdout.hasPrefix("wrote out/kirk.pem\nprincipal: CN=kirk,OU=client,O=client,L=test,C=de\n"))
            #expect(try lab.openssl("verify", "-CAfile", "certs/root-ca.pem", "-purpose", "sslclient", "out/kirk.pem").stdout == "out/kirk.pem: OK\n")
            let verify = try lab.certIssuer("verify", "--cert", "out/kirk.pem", "--key", "kirk-key.pem", "--ca", "certs/root-ca.pem", "--usage", "client")
            #expect(verify.status == 0)
            #expect(verify.stdout == "OK: CN=kirk,OU=client,O=client,L=test,C=de chains to CN=certlab root CA,OU=lab,O=certlab, key matches\n")
        }
    }

    @Test func issueWritesAnAdHocCertificate() throws {
        try Lab.withLab { lab in
            try initialised(lab)
            let issue = try lab.certIssuer("issue", "--name", "CLIENT2", "--dn", "CN=CLIENT2,OU=lab,O=certlab", "--profile", "client", "--out", "certs")
            #expect(issue.status == 0, "\(issue.stderr)")
            #expect(try lab.openssl("verify", "-CAfile", "certs/root-ca.pem", "certs/CLIENT2.pem").stdout == "certs/CLIENT2.pem: OK\n")
            #expect(try lab.certIssuer("revoke", "CLIENT2", "--out", "certs").status == 0)
        }
    }

    @Test func inspectShowsThePrincipalToPaste() throws {
        try Lab.withLab { lab in
            try initialised(lab)
            let lines = try lab.certIssuer("inspect", "certs/search-node.pem").stdout.split(separator: "\n").map(String.init)
            #expect(lines[0] == "principal: CN=search-node,OU=node,O=certlab   <- use this string in admin_dn / roles_mapping")
            #expect(lines[1] == "username (cn): search-node")
            #expect(lines[2] == "issuer: CN=certlab root CA,OU=lab,O=certlab")
            #expect(lines.contains("subject alt names: Registered ID:1.2.3.4.5.5, DNS:search-node, DNS:localhost, IP Address:127.0.0.1"))
            #expect(lines.contains("extended key usage: serverAuth, clientAuth"))
            let fingerprint = try lab.openssl("x509", "-in", "certs/search-node.pem", "-noout", "-fingerprint", "-sha256").stdout
            #expect(lines.contains("sha256 fingerprint: \(fingerprint.split(separator: "=")[1].dropLast())"))
            #expect(lines.last?.hasPrefix("revocation: not revoked (CRL number 1, next update ") == true)
        }
    }

    @Test func verifyPrintsEveryProblemWithItsFix() throws {
        try Lab.withLab { lab in
            try initialised(lab)
            let result = try lab.certIssuer("verify", "--cert", "certs/CLIENT1.pem", "--key", "certs/admin-key.pem", "--ca", "certs/root-ca.pem",
                                            "--usage", "server", "--host", "search-node")
            #expect(result.status == 1)
            #expect(result.stdout == """
                problem: private key does not match the certificate CN=CLIENT1,OU=lab,O=certlab
                  fix: use the -key.pem file written together with this certificate
                problem: certificate lacks extended key usage serverAuth needed for server use
                  fix: re-issue it with profile node
                problem: no subject alternative name matches host search-node
                  fix: add search-node to the node's dns names in the plan and re-issue

                """)
            #expect(result.stderr == "Error: certs/CLIENT1.pem: 3 problems found\n")
        }
    }
}
