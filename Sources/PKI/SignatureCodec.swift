import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// The signature algorithms certlab writes into structures swift-certificates does not cover
/// (the CRL), and verification of such signatures against a CA public key.
enum SignatureCodec {
    static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    static let ecdsaWithSHA384: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 3]
    static let sha256WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 11]
    static let sha384WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 12]

    static func oid(_ algorithm: Certificate.SignatureAlgorithm) throws -> ASN1ObjectIdentifier {
        switch algorithm {
        case .ecdsaWithSHA256: return ecdsaWithSHA256
        case .ecdsaWithSHA384: return ecdsaWithSHA384
        case .sha256WithRSAEncryption: return sha256WithRSA
        case .sha384WithRSAEncryption: return sha384WithRSA
        default: throw PKIError(.crl, "unsupported signature algorithm \(algorithm)")
        }
    }

    /// AlgorithmIdentifier: RSA algorithms carry an explicit NULL parameter (RFC 4055), ECDSA none.
    static func serializeAlgorithm(_ oid: ASN1ObjectIdentifier, into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(oid)
            if oid == sha256WithRSA || oid == sha384WithRSA { try coder.serialize(ASN1Null()) }
        }
    }

    static func parseAlgorithm(_ node: ASN1Node) throws -> ASN1ObjectIdentifier {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let oid = try ASN1ObjectIdentifier(derEncoded: &nodes)
            _ = nodes.next()
            return oid
        }
    }

    /// Signs bytes and returns the BIT STRING content (DER ECDSA-Sig-Value or raw RSA signature).
    static func sign(_ bytes: [UInt8], with key: Certificate.PrivateKey) throws -> (ASN1ObjectIdentifier, [UInt8]) {
        let algorithm = KeyType.signatureAlgorithm(for: key)
        let signature = try key.sign(bytes: bytes, signatureAlgorithm: algorithm)
        return (try oid(algorithm), signature.rawRepresentation)
    }

    /// True when `signature` over `bytes` verifies with `publicKey` under `algorithm`.
    static func verify(
        _ signature: [UInt8], over bytes: [UInt8], algorithm: ASN1ObjectIdentifier, publicKey: Certificate.PublicKey
    ) -> Bool {
        switch algorithm {
        case ecdsaWithSHA256, ecdsaWithSHA384:
            let digest256 = SHA256.hash(data: bytes), digest384 = SHA384.hash(data: bytes)
            if let key = P256.Signing.PublicKey(publicKey), let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature) {
                return algorithm == ecdsaWithSHA256 ? key.isValidSignature(sig, for: digest256) : key.isValidSignature(sig, for: digest384)
            }
            if let key = P384.Signing.PublicKey(publicKey), let sig = try? P384.Signing.ECDSASignature(derRepresentation: signature) {
                return algorithm == ecdsaWithSHA256 ? key.isValidSignature(sig, for: digest256) : key.isValidSignature(sig, for: digest384)
            }
            return false
        case sha256WithRSA, sha384WithRSA:
            guard let key = _RSA.Signing.PublicKey(publicKey) else { return false }
            let sig = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return algorithm == sha256WithRSA
                ? key.isValidSignature(sig, for: SHA256.hash(data: bytes), padding: .insecurePKCS1v1_5)
                : key.isValidSignature(sig, for: SHA384.hash(data: bytes), padding: .insecurePKCS1v1_5)
        default:
            return false
        }
    }
}

/// X.509 Time: UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5).
enum X509Time {
    static func serialize(_ date: Date, into coder: inout DER.Serializer) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        if c.year! < 2050 {
            try coder.serialize(UTCTime(year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!))
        } else {
            try coder.serialize(
                GeneralizedTime(year: c.year!, month: c.month!, day: c.day!, hours: c.hour!, minutes: c.minute!, seconds: c.second!, fractionalSeconds: 0))
        }
    }

    static func parse(_ node: ASN1Node) throws -> Date {
        var c = DateComponents()
        if node.identifier == .utcTime {
            let t = try UTCTime(derEncoded: node)
            (c.year, c.month, c.day, c.hour, c.minute, c.second) = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
        } else {
            let t = try GeneralizedTime(derEncoded: node)
            (c.year, c.month, c.day, c.hour, c.minute, c.second) = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
        }
        c.timeZone = TimeZone(identifier: "UTC")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: c) else { throw PKIError(.crl, "invalid time in CRL") }
        return date
    }
}
