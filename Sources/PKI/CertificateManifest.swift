import Crypto
import Foundation
import X509

/// `manifest.json` in the certificate folder: what `init` issued from which plan entry, so a
/// second run can tell "unchanged" from "changed in the plan", "expiring" or "tampered with", and
/// the revocations that every rebuilt `crl.pem` must keep listing.
///
/// Encoded with sorted keys and no timestamps of its own, so an unchanged run rewrites it
/// byte-for-byte identical (and `CertificateDirectory.commit` then skips it).
public struct CertificateManifest: Codable, Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        /// SHA-256 of the plan entry's JSON; "ad-hoc" for `cert-issuer issue`/`sign` outputs.
        public var planHash: String
        public var serial: String
        public var subject: String
        public var notAfter: String
        /// Serial of the CA certificate that signed it (its own serial for the root).
        public var issuerSerial: String
        /// SHA-256 of the certificate file as written.
        public var fileSHA256: String
    }

    public struct Revocation: Codable, Sendable, Equatable {
        public var serial: String
        public var name: String?
        public var date: String
        public var reason: String?
    }

    public var version = 1
    public var certificates: [String: Record] = [:]
    public var revoked: [Revocation] = []
    public var crlNumber = 0

    public static let fileName = "manifest.json"

    public init() {}

    /// The manifest of a folder; an empty one when absent, an error when unreadable.
    public static func load(from directory: CertificateDirectory) throws -> CertificateManifest {
        guard let bytes = directory.read(fileName) else { return CertificateManifest() }
        do {
            return try JSONDecoder().decode(CertificateManifest.self, from: Data(bytes))
        } catch {
            throw PKIError(.io, "\(directory.filePath(fileName)): manifest is not valid JSON (\(error)); delete it and run init --force")
        }
    }

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func planHash(_ entry: CertificatePlan.Entry) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return sha256(Array(try encoder.encode(entry)))
    }

    /// The CRL entries recorded for revocations.
    func crlEntries() throws -> [CertificateRevocationList.Entry] {
        try revoked.map { revocation in
            guard let date = ISO8601DateFormatter().date(from: revocation.date) else {
                throw PKIError(.io, "manifest.json: revocation date \"\(revocation.date)\" is not ISO-8601")
            }
            return CertificateRevocationList.Entry(
                serial: try CertificateSerial.parse(revocation.serial), revocationDate: date,
                reason: try revocation.reason.map(CertificateRevocationList.Reason.init(parsing:)))
        }
    }
}
