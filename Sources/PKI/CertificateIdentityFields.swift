import SwiftASN1
import X509

/// The serial number and subject of a DER certificate, read without modelling the rest.
///
/// swift-certificates refuses to parse a certificate whose signature algorithm it does not
/// implement (ecdsa-with-SHA1, for one), yet the TLS layer may have accepted exactly such a
/// client certificate: JSSE allows SHA-1 below a private CA, and so does BoringSSL. The node still
/// needs the principal (reference §1.6) and the serial (CRL check, §1.5) of that certificate;
/// both sit at fixed places in `TBSCertificate` (RFC 5280 §4.1), which is all this reads.
public struct CertificateIdentityFields: Sendable, Equatable {
    public let serialNumber: Certificate.SerialNumber
    public let subject: X509.DistinguishedName

    /// The principal string of the subject, as ``Certificate/principal`` renders it.
    public var principal: String { PKI.DistinguishedName(subject).description }

    public init(derEncoded bytes: [UInt8]) throws {
        let root = try DER.parse(bytes)
        (serialNumber, subject) = try DER.sequence(root, identifier: .sequence) { certificate in
            guard let tbs = certificate.next() else { throw PKIError(.verification, "certificate has no TBSCertificate") }
            while certificate.next() != nil {}  // signatureAlgorithm, signatureValue: not needed
            return try DER.sequence(tbs, identifier: .sequence) { fields in
                var field = fields.next()
                if field?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) { field = fields.next() }
                guard let serialNode = field, case .primitive(let serialBytes) = serialNode.content else {
                    throw PKIError(.verification, "certificate has no serial number")
                }
                _ = fields.next()  // signature
                _ = fields.next()  // issuer
                _ = fields.next()  // validity
                guard let subjectNode = fields.next() else { throw PKIError(.verification, "certificate has no subject") }
                let subject = try X509.DistinguishedName(derEncoded: subjectNode)
                while fields.next() != nil {}
                return (Certificate.SerialNumber(bytes: serialBytes), subject)
            }
        }
    }
}
