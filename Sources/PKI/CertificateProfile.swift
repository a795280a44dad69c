import SwiftASN1
import X509

/// What a certificate is for, and therefore which extensions it carries.
///
/// The profiles follow the demo certificates the plugin ships (reference §1.10): node certificates
/// carry serverAuth + clientAuth (the node is both a TLS server and, on the transport layer, a
/// client) and SANs for the names clients connect to; admin and client certificates carry only
/// clientAuth, which is what a client certificate without serverAuth looks like to the node.
public enum CertificateProfile: String, Sendable, CaseIterable, Codable {
    case rootCA = "root-ca"
    case intermediateCA = "intermediate-ca"
    case node
    case admin
    case client

    public init(parsing text: String) throws {
        guard let profile = Self(rawValue: text.lowercased()) else {
            throw PKIError(
                .issuing,
                "unknown profile \"\(text)\": expected one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = profile
    }

    public var isCertificateAuthority: Bool { self == .rootCA || self == .intermediateCA }

    /// The extended key usages this profile grants.
    public var extendedKeyUsages: [ExtendedKeyUsage.Usage] {
        switch self {
        case .rootCA, .intermediateCA: return []
        case .node: return [.serverAuth, .clientAuth]
        case .admin, .client: return [.clientAuth]
        }
    }

    /// The full extension set for a certificate of this profile.
    /// - Parameters:
    ///   - subjectKey: the certified public key (for the subject key identifier).
    ///   - issuerKey: the issuing CA's public key (authority key identifier); nil when self-signed.
    ///   - alternativeNames: SAN entries; an empty list omits the extension.
    func extensions(
        subjectKey: Certificate.PublicKey, issuerKey: Certificate.PublicKey?, alternativeNames: [GeneralName]
    ) throws -> Certificate.Extensions {
        var extensions = Certificate.Extensions()
        switch self {
        case .rootCA, .intermediateCA:
            try extensions.append(.init(BasicConstraints.isCertificateAuthority(maxPathLength: self == .rootCA ? nil : 0), critical: true))
            try extensions.append(.init(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true), critical: true))
        case .node, .admin, .client:
            try extensions.append(.init(BasicConstraints.notCertificateAuthority, critical: true))
            try extensions.append(.init(KeyUsage(digitalSignature: true, keyEncipherment: true), critical: true))
            try extensions.append(.init(ExtendedKeyUsage(extendedKeyUsages), critical: false))
        }
        try extensions.append(.init(SubjectKeyIdentifier(hash: subjectKey), critical: false))
        if let issuerKey {
            let identifier = SubjectKeyIdentifier(hash: issuerKey).keyIdentifier
            try extensions.append(.init(AuthorityKeyIdentifier(keyIdentifier: identifier), critical: false))
        }
        if !alternativeNames.isEmpty {
            try extensions.append(.init(SubjectAlternativeNames(alternativeNames), critical: false))
        }
        return extensions
    }
}
