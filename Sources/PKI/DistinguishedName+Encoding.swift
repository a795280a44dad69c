import SwiftASN1
import X509

/// Turning a DN string (as a user writes it in `certs.yml` or `--dn`, principal order) into the
/// ASN.1 subject of a new certificate, so that the issued certificate's principal renders back
/// to the same string (reference §1.6: the principal lists the DER RDNs in reverse).
extension DistinguishedName {
    /// The ASN.1 name: RDNs in reverse string order (DER order is least specific first).
    ///
    /// String types follow common CA practice and what OpenSSL writes: `C` as PrintableString,
    /// `DC` and `EMAILADDRESS` as IA5String, everything else UTF8String; `#hex` values are
    /// embedded as the DER they encode.
    /// - Throws: ``PKIError`` for an unknown attribute keyword or undecodable value.
    public func x509Name() throws -> X509.DistinguishedName {
        let rdns = try rdns.reversed().map { rdn in
            RelativeDistinguishedName(try rdn.map(Self.x509Attribute))
        }
        return X509.DistinguishedName(rdns)
    }

    private static let oidsByKeyword: [String: ASN1ObjectIdentifier] = [
        "CN": [2, 5, 4, 3], "C": [2, 5, 4, 6], "L": [2, 5, 4, 7], "ST": [2, 5, 4, 8], "S": [2, 5, 4, 8],
        "O": [2, 5, 4, 10], "OU": [2, 5, 4, 11], "T": [2, 5, 4, 12], "TITLE": [2, 5, 4, 12],
        "STREET": [2, 5, 4, 9], "DC": [0, 9, 2342, 19_200_300, 100, 1, 25],
        "UID": [0, 9, 2342, 19_200_300, 100, 1, 1], "SERIALNUMBER": [2, 5, 4, 5],
        "EMAILADDRESS": [1, 2, 840, 113_549, 1, 9, 1], "EMAIL": [1, 2, 840, 113_549, 1, 9, 1],
        "E": [1, 2, 840, 113_549, 1, 9, 1], "SURNAME": [2, 5, 4, 4], "SN": [2, 5, 4, 4],
        "GIVENNAME": [2, 5, 4, 42], "GN": [2, 5, 4, 42], "INITIALS": [2, 5, 4, 43],
        "GENERATION": [2, 5, 4, 44], "DNQ": [2, 5, 4, 46], "DNQUALIFIER": [2, 5, 4, 46],
    ]

    static func oid(forKeyword keyword: String) throws -> ASN1ObjectIdentifier {
        let upper = keyword.uppercased()
        if let oid = oidsByKeyword[upper] { return oid }
        let dotted = upper.hasPrefix("OID.") ? String(upper.dropFirst(4)) : upper
        guard let oid = ASN1ObjectIdentifier.checked(dotted: dotted) else {
            throw PKIError(
                .issuing,
                "unknown DN attribute type \"\(keyword)\": use CN, C, L, ST, O, OU, STREET, DC, UID, EMAILADDRESS, SERIALNUMBER, T or OID.x.y.z")
        }
        return oid
    }

    private static func x509Attribute(_ attribute: Attribute) throws -> RelativeDistinguishedName.Attribute {
        let oid = try oid(forKeyword: attribute.type)
        if attribute.isBinary {
            let hex = Array(attribute.value.dropFirst().utf8)
            let bytes = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
            guard let node = try? DER.parse(bytes) else {
                throw PKIError(.issuing, "DN attribute \(attribute.type)=\(attribute.value) is not valid DER")
            }
            return .init(type: oid, value: .init(asn1Any: ASN1Any(derEncoded: node)))
        }
        switch oid {
        case [2, 5, 4, 6]:
            if let printable = try? RelativeDistinguishedName.Attribute.Value(printableString: attribute.value) {
                return .init(type: oid, value: printable)
            }
        case [0, 9, 2342, 19_200_300, 100, 1, 25], [1, 2, 840, 113_549, 1, 9, 1]:
            if let ia5 = try? RelativeDistinguishedName.Attribute.Value(ia5String: attribute.value) {
                return .init(type: oid, value: ia5)
            }
        default:
            break
        }
        return .init(type: oid, utf8String: attribute.value)
    }
}
