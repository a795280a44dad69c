import Crypto
import X509
import _CryptoExtras

/// The key algorithms certlab issues. EC P-256 is the default: it is what the lab's benchmark
/// targets (a leaf in about half a millisecond) and what the plugin's TLS stack accepts as PKCS#8.
public enum KeyType: String, Sendable, CaseIterable, Codable {
    case ecP256 = "ec-p256"
    case ecP384 = "ec-p384"
    case rsa2048 = "rsa-2048"
    case rsa3072 = "rsa-3072"
    case rsa4096 = "rsa-4096"

    /// Accepts the canonical names (`ec-p256`, `rsa-2048`, ...) and the common spellings
    /// `p256`, `P-256`, `prime256v1`, `secp384r1`, `rsa2048`, `RSA:2048`.
    public init(parsing text: String) throws {
        let key = text.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "ecp256", "p256", "prime256v1", "secp256r1", "ec": self = .ecP256
        case "ecp384", "p384", "secp384r1": self = .ecP384
        case "rsa2048", "rsa": self = .rsa2048
        case "rsa3072": self = .rsa3072
        case "rsa4096": self = .rsa4096
        default:
            throw PKIError(
                .unknownKeyType,
                "unknown key type \"\(text)\": expected one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// A fresh private key of this type.
    public func generate() throws -> Certificate.PrivateKey {
        switch self {
        case .ecP256: return Certificate.PrivateKey(P256.Signing.PrivateKey())
        case .ecP384: return Certificate.PrivateKey(P384.Signing.PrivateKey())
        case .rsa2048: return Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        case .rsa3072: return Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits3072))
        case .rsa4096: return Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits4096))
        }
    }

    /// The type of an existing public key, or nil for algorithms certlab does not issue.
    public init?(_ publicKey: Certificate.PublicKey) {
        if P256.Signing.PublicKey(publicKey) != nil {
            self = .ecP256
        } else if P384.Signing.PublicKey(publicKey) != nil {
            self = .ecP384
        } else if let rsa = _RSA.Signing.PublicKey(publicKey) {
            switch rsa.keySizeInBits {
            case 2048: self = .rsa2048
            case 3072: self = .rsa3072
            case 4096: self = .rsa4096
            default: return nil
            }
        } else {
            return nil
        }
    }

    /// Human description used by `cert-issuer inspect`, e.g. "EC P-256", "RSA 2048".
    public static func describe(_ publicKey: Certificate.PublicKey) -> String {
        if P256.Signing.PublicKey(publicKey) != nil { return "EC P-256" }
        if P384.Signing.PublicKey(publicKey) != nil { return "EC P-384" }
        if P521.Signing.PublicKey(publicKey) != nil { return "EC P-521" }
        if let rsa = _RSA.Signing.PublicKey(publicKey) { return "RSA \(rsa.keySizeInBits)" }
        return "unknown (\(publicKey))"
    }

    /// The signature algorithm certlab uses with a key: ECDSA with SHA-384 for P-384 (matching
    /// hash and curve strength), ECDSA with SHA-256 for P-256, SHA-256 with RSA for RSA keys.
    static func signatureAlgorithm(for key: Certificate.PrivateKey) -> Certificate.SignatureAlgorithm {
        if P384.Signing.PublicKey(key.publicKey) != nil { return .ecdsaWithSHA384 }
        if P256.Signing.PublicKey(key.publicKey) != nil { return .ecdsaWithSHA256 }
        return .sha256WithRSAEncryption
    }
}
