import Foundation
import X509

/// A CA certificate with its private key: creates root and intermediate CAs, issues leaf
/// certificates with fresh keys, and signs CSRs whose keys stay with their owner.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    public let privateKey: Certificate.PrivateKey
    /// CA certificates between this CA and the root (empty for a root), for building chains.
    public let parents: [Certificate]

    /// Pairs an existing CA certificate with its key; fails when they do not belong together.
    public init(certificate: Certificate, privateKey: Certificate.PrivateKey, parents: [Certificate] = []) throws {
        guard certificate.publicKey == privateKey.publicKey else {
            throw PKIError(.keyMismatch, "CA key does not match CA certificate \(certificate.principal)")
        }
        self.certificate = certificate
        self.privateKey = privateKey
        self.parents = parents
    }

    /// Clock skew allowance: certificates are valid from five minutes before issuance.
    static let backdate: TimeInterval = 300

    /// A self-signed root CA.
    public static func root(
        subject: DistinguishedName, keyType: KeyType = .ecP256, validityDays: Int = 3650, now: Date = Date()
    ) throws -> CertificateAuthority {
        let key = try keyType.generate()
        let name = try subject.x509Name()
        let certificate = try sign(
            subject: name, publicKey: key.publicKey, profile: .rootCA, alternativeNames: [],
            validityDays: validityDays, now: now, issuer: name, issuerKey: key, issuerPublicKey: nil)
        return try CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// An intermediate CA signed by this CA (path length 0: it may only issue leaves).
    public func intermediate(
        subject: DistinguishedName, keyType: KeyType = .ecP256, validityDays: Int = 1825, now: Date = Date()
    ) throws -> CertificateAuthority {
        let issued = try issue(
            CertificateRequest(subject: subject, profile: .intermediateCA, validityDays: validityDays, keyType: keyType), now: now)
        return try CertificateAuthority(certificate: issued.certificate, privateKey: issued.privateKey, parents: [certificate] + parents)
    }

    /// Issues a certificate with a newly generated key.
    public func issue(_ request: CertificateRequest, now: Date = Date()) throws -> IssuedCertificate {
        let key = try request.keyType.generate()
        let certificate = try Self.sign(
            subject: try request.subject.x509Name(), publicKey: key.publicKey, profile: request.profile,
            alternativeNames: try request.alternativeNames(), validityDays: request.validityDays, now: now,
            issuer: certificate.subject, issuerKey: privateKey, issuerPublicKey: certificate.publicKey)
        return IssuedCertificate(certificate: certificate, privateKey: key, chain: [certificate] + chainAbove)
    }

    /// Signs a PKCS#10 CSR (e.g. from `openssl req`) after checking its self-signature. The
    /// subject comes from the CSR; extensions come from the profile, never from the CSR, so a CSR
    /// cannot ask for CA rights. SANs are the ones given here.
    public func sign(
        csr: CertificateSigningRequest, profile: CertificateProfile, dnsNames: [String] = [], ipAddresses: [String] = [],
        validityDays: Int = 825, now: Date = Date()
    ) throws -> Certificate {
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else {
            throw PKIError(.csr, "CSR signature does not verify: the request was altered or not signed by its own key")
        }
        guard !profile.isCertificateAuthority else {
            throw PKIError(.csr, "CSRs are signed only with the node, admin or client profile")
        }
        let request = CertificateRequest(
            subject: DistinguishedName(csr.subject), profile: profile, dnsNames: dnsNames, ipAddresses: ipAddresses,
            validityDays: validityDays)
        return try Self.sign(
            subject: csr.subject, publicKey: csr.publicKey, profile: profile,
            alternativeNames: try request.alternativeNames(), validityDays: validityDays, now: now,
            issuer: certificate.subject, issuerKey: privateKey, issuerPublicKey: certificate.publicKey)
    }

    /// The chain above a certificate this CA issues: this CA, then its parents up to the root.
    public var chainAbove: [Certificate] { [certificate] + parents }

    private static func sign(
        subject: X509.DistinguishedName, publicKey: Certificate.PublicKey, profile: CertificateProfile,
        alternativeNames: [GeneralName], validityDays: Int, now: Date, issuer: X509.DistinguishedName,
        issuerKey: Certificate.PrivateKey, issuerPublicKey: Certificate.PublicKey?
    ) throws -> Certificate {
        guard validityDays > 0 else {
            throw PKIError(.issuing, "validity must be at least 1 day (got \(validityDays))")
        }
        let notBefore = now.addingTimeInterval(-backdate)
        return try Certificate(
            version: .v3, serialNumber: CertificateSerial.random(), publicKey: publicKey,
            notValidBefore: notBefore, notValidAfter: now.addingTimeInterval(Double(validityDays) * 86_400),
            issuer: issuer, subject: subject, signatureAlgorithm: KeyType.signatureAlgorithm(for: issuerKey),
            extensions: try profile.extensions(subjectKey: publicKey, issuerKey: issuerPublicKey, alternativeNames: alternativeNames),
            issuerPrivateKey: issuerKey)
    }
}

/// A certificate issued with a fresh key.
public struct IssuedCertificate: Sendable {
    public let certificate: Certificate
    public let privateKey: Certificate.PrivateKey
    /// Issuing CAs from the direct issuer up to the root.
    public let chain: [Certificate]
}
