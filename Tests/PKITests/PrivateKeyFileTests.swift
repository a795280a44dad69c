import Foundation
import PKI
import Testing

/// Key formats (reference §1.8, §11 item 1): PKCS#8 in and out, legacy forms refused with the fix.
struct PrivateKeyFileTests {
    @Test(arguments: KeyType.allCases.filter { $0 != .rsa3072 && $0 != .rsa4096 })
    func generatedKeysAreWrittenAsPKCS8ThatOpenSSLReads(_ keyType: KeyType) throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let key = try keyType.generate()
            let pem = try PrivateKeyFile.pem(key)
            #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
            #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
            let file = directory.appendingPathComponent("key.pem")
            try pem.write(to: file, atomically: true, encoding: .utf8)
            #expect(try OpenSSL.run(["pkey", "-in", file.path, "-noout"]).status == 0)
            #expect(try PrivateKeyFile.read(at: file.path).publicKey == key.publicKey)
        }
    }

    @Test func rsaPKCS1KeyIsRefusedWithTheConversionCommand() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let path = directory.appendingPathComponent("node-key.pem").path
            #expect(try OpenSSL.run(["genrsa", "-traditional", "-out", path, "2048"]).status == 0)
            let expected = PKIError(.keyFormat, "\(path): key is PKCS#1 (\"BEGIN RSA PRIVATE KEY\"); the security plugin only reads PKCS#8 keys (it fails with \"algid parse error, not a sequence\"). Convert it: openssl pkcs8 -topk8 -nocrypt -in \(path) -out \(directory.path)/node-key.pkcs8.pem")
            let actual = pkiError { _ = try PrivateKeyFile.read(at: path) }
            #expect(actual == expected)
        }
    }

    @Test func sec1ECKeyIsRefusedAndTheSuggestedFixWorks() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let path = directory.appendingPathComponent("client-key.pem").path
            #expect(try OpenSSL.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path]).status == 0)
            var message = ""
            do { _ = try PrivateKeyFile.read(at: path) } catch let error as PKIError { message = error.message }
            #expect(message.hasPrefix("\(path): key is SEC1 (\"BEGIN EC PRIVATE KEY\"); the security plugin only reads PKCS#8 keys"))
            let command = try #require(message.range(of: "openssl ").map { String(message[$0.lowerBound...]) })
            let arguments = command.split(separator: " ").dropFirst().map(String.init)
            #expect(try OpenSSL.run(arguments).status == 0)
            _ = try PrivateKeyFile.read(at: directory.appendingPathComponent("client-key.pkcs8.pem").path)
        }
    }

    @Test func encryptedPKCS8IsRefused() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let plain = directory.appendingPathComponent("plain.pem").path, path = directory.appendingPathComponent("enc.pem").path
            #expect(try OpenSSL.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", plain]).status == 0)
            #expect(try OpenSSL.run(["pkcs8", "-topk8", "-in", plain, "-out", path, "-passout", "pass:secret"]).status == 0)
            let expected = PKIError(.keyFormat, "\(path): key is encrypted PKCS#8; certlab needs it unencrypted: openssl pkcs8 -topk8 -nocrypt -in \(path) -out \(directory.path)/enc.pkcs8.pem")
            let actual = pkiError { _ = try PrivateKeyFile.read(at: path) }
            #expect(actual == expected)
        }
    }

    @Test func garbageIsNotPEM() {
        #expect(throws: PKIError(.pemFormat, "x.pem: not PEM: no \"-----BEGIN ...-----\" line")) {
            try PrivateKeyFile.key(fromPEM: "hello", source: "x.pem")
        }
        #expect(throws: PKIError(.pemFormat, "x.pem: malformed PEM (bad base64 or mismatched BEGIN/END lines)")) {
            try PrivateKeyFile.key(fromPEM: "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", source: "x.pem")
        }
        #expect(throws: PKIError(.pemFormat, "c.pem: neither PEM (no \"-----BEGIN CERTIFICATE-----\" line) nor a DER certificate")) {
            try PEMFile.certificates(from: Array("garbage".utf8), source: "c.pem")
        }
    }

    @Test func keyTypeNames() throws {
        #expect(try KeyType(parsing: "P-256") == .ecP256)
        #expect(try KeyType(parsing: "secp384r1") == .ecP384)
        #expect(try KeyType(parsing: "RSA:3072") == .rsa3072)
        #expect(throws: PKIError(.unknownKeyType, "unknown key type \"dsa\": expected one of ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096")) {
            try KeyType(parsing: "dsa")
        }
    }
}
