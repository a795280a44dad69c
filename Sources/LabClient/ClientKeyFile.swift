import _CryptoExtras
import Crypto
import NIOSSL
import PKI
import X509

/// A client's private key file: unencrypted PKCS#8 as everywhere in certlab, or — for Filebeat's
/// `ssl.key_passphrase` — encrypted PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`, what
/// `openssl pkcs8 -topk8 -v2 aes256` writes and what the security plugin's `pemkey_password`
/// reads). Legacy OpenSSL-encrypted PKCS#1/SEC1 PEM stays refused with the conversion, like
/// their unencrypted forms.
enum ClientKeyFile {
    static func read(at path: String, passphrase: String?) throws(LabClientError) -> Certificate.PrivateKey {
        let text: String
        do {
            text = String(decoding: try PEMFile.readBytes(at: path), as: UTF8.self)
        } catch {
            throw LabClientError.configuration("\(error)")
        }
        let encrypted = text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        switch (encrypted, passphrase) {
        case (false, nil):
            do { return try PrivateKeyFile.key(fromPEM: text, source: path) } catch { throw LabClientError.configuration("\(error)") }
        case (true, nil):
            throw LabClientError.configuration("\(path): the key is encrypted; set ssl.key_passphrase (or ssl.key_passphrase_path)")
        case (false, _?):
            if text.contains("Proc-Type: 4,ENCRYPTED") {
                throw LabClientError.configuration(
                    "\(path): legacy OpenSSL PEM encryption is not supported; convert it to encrypted PKCS#8: openssl pkcs8 -topk8 -v2 aes256 -in \(path) -out \(path).p8")
            }
            throw LabClientError.configuration("\(path): ssl.key_passphrase is set but the key is not encrypted (expected \"-----BEGIN ENCRYPTED PRIVATE KEY-----\")")
        case (true, let passphrase?):
            return try decrypt(text, path: path, passphrase: passphrase)
        }
    }

    /// BoringSSL decrypts (PBES2/PBKDF2 and the PKCS#12 PBE schemes); its DER output is the
    /// traditional form (SEC1 or PKCS#1), which swift-crypto's keys parse directly.
    private static func decrypt(_ text: String, path: String, passphrase: String) throws(LabClientError) -> Certificate.PrivateKey {
        let der: [UInt8]
        do {
            let key = try NIOSSLPrivateKey(bytes: Array(text.utf8), format: .pem) { (setPassphrase: NIOSSLPassphraseSetter<[UInt8]>) in
                setPassphrase(Array(passphrase.utf8))
            }
            der = try key.derBytes
        } catch {
            throw LabClientError.configuration("\(path): cannot decrypt the key with ssl.key_passphrase (wrong passphrase?)")
        }
        if let key = try? P256.Signing.PrivateKey(derRepresentation: der) { return Certificate.PrivateKey(key) }
        if let key = try? P384.Signing.PrivateKey(derRepresentation: der) { return Certificate.PrivateKey(key) }
        if let key = try? P521.Signing.PrivateKey(derRepresentation: der) { return Certificate.PrivateKey(key) }
        if let key = try? _RSA.Signing.PrivateKey(derRepresentation: der) { return Certificate.PrivateKey(key) }
        throw LabClientError.configuration("\(path): the decrypted key uses an unsupported algorithm (expected EC P-256/384/521 or RSA)")
    }
}
