import Foundation
import LabTestSupport
import PKI
import X509

/// The client certificates of the reliability matrix, issued into a `LabFiles` certs folder
/// next to the lab's own (`CLIENT1`, `admin`, `expired`, `revoked`, `stranger`).
///
/// PKI issues what it can express (validity windows, intermediates, odd DNs); `openssl` makes
/// what PKI deliberately refuses to produce: a serverAuth-only client, a SHA-1 signature, a
/// 1024-bit RSA key and an empty subject.
enum HostileCertificates {
    /// The extra certificate names, each written as `certs/NAME.pem` and `certs/NAME-key.pem`.
    static func issue(into files: LabFiles) throws {
        let certs = try CertificateDirectory(path: files.directory.path("certs"), create: false)
        let signer = try CertificateIssuance.loadSigner(certs)
        func write(_ name: String, _ issued: IssuedCertificate, chain: [Certificate]? = nil) throws {
            try PEMFile.pem(chain: [issued.certificate] + (chain ?? [])).write(toFile: files.cert(name), atomically: true, encoding: .utf8)
            try PrivateKeyFile.pem(issued.privateKey).write(toFile: files.key(name), atomically: true, encoding: .utf8)
        }
        func client(_ dn: String, keyType: KeyType = .ecP256) throws -> CertificateRequest {
            CertificateRequest(subject: try DistinguishedName(parsing: dn), profile: .client, keyType: keyType)
        }

        try write("not-yet-valid", signer.issue(client("CN=not-yet-valid,OU=lab,O=certlab"), now: Date().addingTimeInterval(2 * 86_400)))
        let selfSigned = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=self-signed,OU=lab,O=certlab"))
        try PEMFile.pem(chain: [selfSigned.certificate]).write(toFile: files.cert("self-signed"), atomically: true, encoding: .utf8)
        try PrivateKeyFile.pem(selfSigned.privateKey).write(toFile: files.key("self-signed"), atomically: true, encoding: .utf8)
        let intermediate = try signer.intermediate(subject: try DistinguishedName(parsing: "CN=certlab issuing CA,OU=lab,O=certlab"))
        try write("via-intermediate", intermediate.issue(client("CN=via-intermediate,OU=lab,O=certlab")), chain: [intermediate.certificate])
        try write("rsa-2048", signer.issue(client("CN=rsa-2048,OU=lab,O=certlab", keyType: .rsa2048)))
        try write("escaped", signer.issue(client(#"CN=Doe\, John\+Jr \"JJ\",OU=lab,O=certlab"#)))
        try write("ldap-specials", signer.issue(client(##"CN=a\=b\;c\<d\>e\#f\\g,OU=lab,O=certlab"##)))
        try write("padded", signer.issue(client(#"CN=\ padded\ ,OU=lab,O=certlab"#)))
        try write("multi-valued", signer.issue(client("OU=ops+CN=multi,OU=lab,O=certlab")))
        try write("unicode", signer.issue(client("CN=Jürgen Müller 日本,OU=lab,O=certlab")))

        let extensions = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        try openssl(files, name: "server-only", subject: "/O=certlab/OU=lab/CN=server-only",
                    extensions: extensions + "extendedKeyUsage=serverAuth\n")
        try openssl(files, name: "sha1", subject: "/O=certlab/OU=lab/CN=sha1", digest: "-sha1",
                    extensions: extensions + "extendedKeyUsage=clientAuth\n")
        try openssl(files, name: "rsa-1024", subject: "/O=certlab/OU=lab/CN=rsa-1024", rsaBits: 1024,
                    extensions: extensions + "extendedKeyUsage=clientAuth\n")
        // RFC 5280 §4.1.2.6: an empty subject needs a critical subjectAltName.
        try openssl(files, name: "san-only", subject: "/",
                    extensions: extensions + "extendedKeyUsage=clientAuth\nsubjectAltName=critical,DNS:san-only.certlab\n")
    }

    /// A leaf signed by the lab root with the `openssl` command line tool.
    private static func openssl(_ files: LabFiles, name: String, subject: String, digest: String = "-sha256",
                                rsaBits: Int? = nil, extensions: String) throws {
        let folder = URL(fileURLWithPath: files.directory.path("certs"))
        try extensions.write(to: folder.appendingPathComponent("\(name).ext"), atomically: true, encoding: .utf8)
        var steps: [[String]] = []
        if let rsaBits {
            steps.append(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(rsaBits)", "-out", "\(name)-key.pem"])
        } else {
            steps.append(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "\(name)-sec1.pem"])
            steps.append(["pkcs8", "-topk8", "-nocrypt", "-in", "\(name)-sec1.pem", "-out", "\(name)-key.pem"])
        }
        steps.append(["req", "-new", "-key", "\(name)-key.pem", "-subj", subject, "-out", "\(name).csr"])
        steps.append(["x509", "-req", "-in", "\(name).csr", "-CA", "root-ca.pem", "-CAkey", "root-ca-key.pem", "-CAcreateserial",
                      digest, "-days", "30", "-extfile", "\(name).ext", "-out", "\(name).pem"])
        for step in steps {
            let result = try runBlocking("openssl", step, in: folder)
            guard result.status == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(step.joined(separator: " ")): \(result.output)"])
            }
        }
    }
}
