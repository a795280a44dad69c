import Foundation
import SwiftASN1
import X509

/// An X.509 v2 CRL (RFC 5280 §5), the file the node reads through `ssl.http.crl.file_path`
/// (reference §1.5). swift-certificates has no CRL type (platform notes), so this is written with
/// SwiftASN1: TBSCertList with issuer, thisUpdate/nextUpdate, revoked entries with reason codes,
/// and the CRL number and authority key identifier extensions that `openssl verify -crl_check`
/// uses to match the CRL to its CA.
public struct CertificateRevocationList: Sendable {
    /// RFC 5280 CRLReason codes with OpenSSL's names (value 7 is unused).
    public enum Reason: Int, Sendable, CaseIterable {
        case unspecified = 0, keyCompromise = 1, cACompromise = 2, affiliationChanged = 3, superseded = 4
        case cessationOfOperation = 5, certificateHold = 6, removeFromCRL = 8, privilegeWithdrawn = 9, aACompromise = 10

        public var name: String { String(describing: self) }

        public init(parsing text: String) throws {
            guard let reason = Self.allCases.first(where: { $0.name.lowercased() == text.lowercased() }) else {
                throw PKIError(.crl, "unknown revocation reason \"\(text)\": expected one of \(Self.allCases.map(\.name).joined(separator: ", "))")
            }
            self = reason
        }
    }

    /// One revoked certificate.
    public struct Entry: Sendable, Hashable {
        public var serial: Certificate.SerialNumber
        public var revocationDate: Date
        public var reason: Reason?

        public init(serial: Certificate.SerialNumber, revocationDate: Date, reason: Reason? = nil) {
            self.serial = serial
            self.revocationDate = Date(timeIntervalSince1970: revocationDate.timeIntervalSince1970.rounded(.down))
            self.reason = reason
        }
    }

    public let issuer: X509.DistinguishedName
    public let thisUpdate: Date
    public let nextUpdate: Date
    /// The cRLNumber extension (0 when absent).
    public let number: Int
    public let entries: [Entry]
    /// The DER encoding, exactly as signed.
    public let derBytes: [UInt8]
    private let tbsBytes: [UInt8]
    private let signatureAlgorithm: ASN1ObjectIdentifier
    private let signature: [UInt8]

    static let crlNumberOID: ASN1ObjectIdentifier = [2, 5, 29, 20]
    static let reasonCodeOID: ASN1ObjectIdentifier = [2, 5, 29, 21]

    /// Builds and signs a CRL for `authority` (whole seconds; X.509 times have no fractions).
    public init(
        authority: CertificateAuthority, entries: [Entry], number: Int, thisUpdate: Date = Date(), validityDays: Int = 30
    ) throws {
        let thisUpdate = Date(timeIntervalSince1970: thisUpdate.timeIntervalSince1970.rounded(.down))
        let nextUpdate = thisUpdate.addingTimeInterval(Double(validityDays) * 86_400)
        let algorithm = try SignatureCodec.oid(KeyType.signatureAlgorithm(for: authority.privateKey))
        let keyIdentifier = SubjectKeyIdentifier(hash: authority.certificate.publicKey).keyIdentifier
        let extensions = [
            try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: keyIdentifier), critical: false),
            Certificate.Extension(oid: Self.crlNumberOID, critical: false, value: try Self.der { try $0.serialize(number) }[...]),
        ]
        let tbs = try Self.der { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(1)  // version v2
                try SignatureCodec.serializeAlgorithm(algorithm, into: &coder)
                try coder.serialize(authority.certificate.subject)
                try X509Time.serialize(thisUpdate, into: &coder)
                try X509Time.serialize(nextUpdate, into: &coder)
                if !entries.isEmpty {
                    try coder.appendConstructedNode(identifier: .sequence) { coder in
                        for entry in entries { try Self.serialize(entry, into: &coder) }
                    }
                }
                try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                    try coder.serializeSequenceOf(extensions)
                }
            }
        }
        let (signedWith, signature) = try SignatureCodec.sign(tbs, with: authority.privateKey)
        let der = try Self.der { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                coder.serializeRawBytes(tbs)
                try SignatureCodec.serializeAlgorithm(signedWith, into: &coder)
                try coder.serialize(ASN1BitString(bytes: signature[...]))
            }
        }
        try self.init(derEncoded: der)
    }

    /// Parses a DER CRL.
    public init(derEncoded der: [UInt8]) throws {
        do {
            let root = try DER.parse(der)
            var parsedTBS: (tbs: [UInt8], issuer: X509.DistinguishedName, this: Date, next: Date, entries: [Entry], number: Int)?
            var algorithm: ASN1ObjectIdentifier?
            var signature: [UInt8] = []
            try DER.sequence(root, identifier: .sequence) { nodes in
                guard let tbsNode = nodes.next(), let algorithmNode = nodes.next(), let signatureNode = nodes.next() else {
                    throw PKIError(.crl, "CRL is not a SEQUENCE of tbsCertList, signatureAlgorithm, signature")
                }
                parsedTBS = try Self.parseTBS(tbsNode)
                algorithm = try SignatureCodec.parseAlgorithm(algorithmNode)
                signature = Array(try ASN1BitString(derEncoded: signatureNode).bytes)
            }
            guard let parsedTBS, let algorithm else { throw PKIError(.crl, "CRL is incomplete") }
            (tbsBytes, issuer, thisUpdate, nextUpdate, entries, number) = parsedTBS
            self.signatureAlgorithm = algorithm
            self.signature = signature
            self.derBytes = der
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError(.crl, "not a valid X.509 CRL: \(error)")
        }
    }

    /// Parses a CRL file's content, PEM (`X509 CRL`) or DER.
    public init(fileContent: [UInt8], source: String) throws {
        if let text = String(bytes: fileContent, encoding: .utf8), text.contains("-----BEGIN ") {
            guard let document = try PEMFile.documents(text, source: source).first(where: { $0.discriminator == "X509 CRL" }) else {
                throw PKIError(.crl, "\(source): no \"-----BEGIN X509 CRL-----\" block")
            }
            try self.init(derEncoded: document.derBytes)
        } else {
            do { try self.init(derEncoded: fileContent) } catch let error as PKIError {
                throw PKIError(.crl, "\(source): \(error.message)")
            }
        }
    }

    /// PEM text ending in a newline.
    public var pemString: String {
        PEMFile.terminated(PEMDocument(type: "X509 CRL", derBytes: derBytes).pemString)
    }

    /// True when the CRL's signature verifies with the CA certificate's key and names it as issuer.
    public func isSigned(by ca: Certificate) -> Bool {
        issuer == ca.subject
            && SignatureCodec.verify(signature, over: tbsBytes, algorithm: signatureAlgorithm, publicKey: ca.publicKey)
    }

    /// The entry for a serial, if it is revoked.
    public func entry(for serial: Certificate.SerialNumber) -> Entry? {
        entries.first { CertificateSerial.hex($0.serial) == CertificateSerial.hex(serial) }
    }

    private static func der(_ body: (inout DER.Serializer) throws -> Void) throws -> [UInt8] {
        var coder = DER.Serializer()
        try body(&coder)
        return coder.serializedBytes
    }

    private static func serialize(_ entry: Entry, into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(entry.serial.bytes)
            try X509Time.serialize(entry.revocationDate, into: &coder)
            if let reason = entry.reason {
                let value: [UInt8] = [0x0A, 0x01, UInt8(reason.rawValue)]  // ENUMERATED; all codes are < 128
                try coder.appendConstructedNode(identifier: .sequence) { coder in
                    try coder.serialize(Certificate.Extension(oid: reasonCodeOID, critical: false, value: value[...]))
                }
            }
        }
    }

    private static func parseTBS(_ node: ASN1Node) throws
        -> (tbs: [UInt8], issuer: X509.DistinguishedName, this: Date, next: Date, entries: [Entry], number: Int)
    {
        try DER.sequence(node, identifier: .sequence) { nodes in
            var next = nodes.next()
            if next?.identifier == .integer { next = nodes.next() }  // version (absent in v1)
            guard next != nil, let issuerNode = nodes.next(), let thisNode = nodes.next() else {
                throw PKIError(.crl, "CRL tbsCertList is truncated")
            }
            let issuer = try X509.DistinguishedName(derEncoded: issuerNode)
            let thisUpdate = try X509Time.parse(thisNode)
            var nextUpdate = Date.distantFuture
            var entries: [Entry] = []
            var number = 0
            while let field = nodes.next() {
                if field.identifier == .utcTime || field.identifier == .generalizedTime {
                    nextUpdate = try X509Time.parse(field)
                } else if field.identifier == .sequence {
                    entries = try DER.sequence(field, identifier: .sequence) { revoked in
                        var list: [Entry] = []
                        while let entryNode = revoked.next() { list.append(try parseEntry(entryNode)) }
                        return list
                    }
                } else if field.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
                    let extensions = try DER.explicitlyTagged(field, tagNumber: 0, tagClass: .contextSpecific) {
                        try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: $0)
                    }
                    if let ext = extensions.first(where: { $0.oid == crlNumberOID }) {
                        number = try Int(derEncoded: Array(ext.value))
                    }
                }
            }
            return (Array(node.encodedBytes), issuer, thisUpdate, nextUpdate, entries, number)
        }
    }

    private static func parseEntry(_ node: ASN1Node) throws -> Entry {
        try DER.sequence(node, identifier: .sequence) { nodes in
            guard let serialNode = nodes.next(), let dateNode = nodes.next() else {
                throw PKIError(.crl, "revoked entry lacks serial or date")
            }
            let serial = try ArraySlice<UInt8>(derEncoded: serialNode)
            var reason: Reason?
            if let extensionsNode = nodes.next() {
                let extensions = try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: extensionsNode)
                if let ext = extensions.first(where: { $0.oid == reasonCodeOID }) {
                    let bytes = Array(ext.value)
                    guard bytes.count == 3, bytes[0] == 0x0A, bytes[1] == 0x01 else {
                        throw PKIError(.crl, "reason code extension is not a one-byte ENUMERATED")
                    }
                    reason = Reason(rawValue: Int(bytes[2]))
                }
            }
            return Entry(serial: Certificate.SerialNumber(bytes: serial), revocationDate: try X509Time.parse(dateNode), reason: reason)
        }
    }
}
