import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// Private keys on disk: always written as unencrypted PKCS#8 (`BEGIN PRIVATE KEY`), the only
/// form the security plugin reads without a password (reference §1.8). Legacy forms are detected
/// and refused with the reason and the one-line conversion, because a node started with them fails
/// far from the cause (`algid parse error, not a sequence`, reference §11 item 1).
public enum PrivateKeyFile {
    /// A key as PKCS#8 PEM ending in a newline. RSA keys, which swift-crypto prints as PKCS#1 by
    /// default, are converted.
    public static func pem(_ key: Certificate.PrivateKey) throws -> String {
        let document = try key.serializeAsPEM()
        if document.discriminator == "RSA PRIVATE KEY" {
            return PEMFile.terminated(try _RSA.Signing.PrivateKey(derRepresentation: document.derBytes).pkcs8PEMRepresentation)
        }
        return PEMFile.terminated(document.pemString)
    }

    /// Reads the first private key of a PEM text. Only PKCS#8 is accepted.
    /// - Parameter source: the file name used in error messages and in the suggested fix.
    public static func key(fromPEM text: String, source: String) throws -> Certificate.PrivateKey {
        let documents = try PEMFile.documents(text, source: source)
        guard let document = documents.first(where: { $0.discriminator.hasSuffix("PRIVATE KEY") }) else {
            let labels = documents.map(\.discriminator).joined(separator: ", ")
            throw PKIError(.keyFormat, "\(source): no private key (found \(labels)); expected a \"-----BEGIN PRIVATE KEY-----\" block")
        }
        switch document.discriminator {
        case "PRIVATE KEY":
            do {
                return try Certificate.PrivateKey(derBytes: document.derBytes)
            } catch {
                throw PKIError(.keyFormat, "\(source): PKCS#8 key could not be decoded or uses an unsupported algorithm (\(error))")
            }
        case "RSA PRIVATE KEY":
            throw legacy(source, form: "PKCS#1 (\"BEGIN RSA PRIVATE KEY\")")
        case "EC PRIVATE KEY":
            throw legacy(source, form: "SEC1 (\"BEGIN EC PRIVATE KEY\")")
        case "ENCRYPTED PRIVATE KEY":
            throw PKIError(
                .keyFormat,
                "\(source): key is encrypted PKCS#8; certlab needs it unencrypted: openssl pkcs8 -topk8 -nocrypt -in \(source) -out \(fixedName(source))")
        default:
            throw PKIError(.keyFormat, "\(source): unsupported key block \"\(document.discriminator)\"; expected \"PRIVATE KEY\" (PKCS#8)")
        }
    }

    /// Reads a key file.
    public static func read(at path: String) throws -> Certificate.PrivateKey {
        let bytes = try PEMFile.readBytes(at: path)
        return try key(fromPEM: String(decoding: bytes, as: UTF8.self), source: path)
    }

    private static func legacy(_ source: String, form: String) -> PKIError {
        PKIError(
            .keyFormat,
            "\(source): key is \(form); the security plugin only reads PKCS#8 keys (it fails with \"algid parse error, not a sequence\"). Convert it: openssl pkcs8 -topk8 -nocrypt -in \(source) -out \(fixedName(source))")
    }

    /// `node-key.pem` → `node-key.pkcs8.pem`, the output name suggested in fixes.
    static func fixedName(_ source: String) -> String {
        source.hasSuffix(".pem") ? String(source.dropLast(4)) + ".pkcs8.pem" : source + ".pkcs8.pem"
    }
}
