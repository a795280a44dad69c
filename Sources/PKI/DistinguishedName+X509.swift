import SwiftASN1
import X509

/// Turning a certificate's ASN.1 subject into the principal string the plugin sees (reference §1.6).
///
/// The plugin takes `X509Certificate.getSubjectX500Principal().toString()` — the JDK's *default*
/// X.500 format, not RFC 2253 — parses it as an `LdapName` and prints the RDNs with bare commas.
/// We reproduce the two steps literally: ``jdkDefaultString(_:)`` writes the JDK default format,
/// then ``DistinguishedName/init(parsing:)`` and ``DistinguishedName/description`` do the `LdapName`
/// round trip. Doing both steps (instead of escaping the ASN.1 strings directly) keeps the JDK's
/// quirks, e.g. a value that is entirely wrapped in double quotes loses them, and a trailing blank
/// inside a value is dropped once.
///
/// Keyword choice (JDK `AVAKeyword` table in the DEFAULT format, where every keyword is allowed and
/// the last entry registered for an OID wins): CN, C, L, ST, O, OU, T, IP, STREET, DC, DNQ,
/// SURNAME, GIVENNAME, INITIALS, GENERATION, EMAILADDRESS, UID, SERIALNUMBER. Any other OID is
/// written `OID.x.y.z`. Where the JDK has no string form for a value (any ASN.1 type other than
/// UTF8String, PrintableString, T61String, IA5String, UniversalString, BMPString, GeneralString)
/// it writes `#` and the DER bytes in hex, which `Rdn` then prints in lower case.
///
/// This is where the principal legitimately differs from `openssl x509 -nameopt RFC2253`:
/// OpenSSL writes `emailAddress=` (JVM: `EMAILADDRESS=`), `serialNumber=`, `title=`, `SN=`,
/// `GN=` etc., renders unknown OIDs as `1.2.3.4=#<DER hex>` (JVM: `OID.1.2.3.4=<text>`), and
/// escapes only the RFC 2253 minimum (JVM escapes `#` and `=` anywhere in a value).
///
/// Verified against OpenJDK 17 running the plugin's extraction steps on 25 openssl-made subjects,
/// quirks included (`JVMPrincipalTests`, which runs whenever `java` is installed).
extension DistinguishedName {
    /// The principal of a certificate subject or issuer, exactly as the plugin renders it.
    public init(_ name: X509.DistinguishedName) {
        let jdkString = Self.jdkDefaultString(name)
        if let parsed = try? DistinguishedName(parsing: jdkString) {
            self = parsed
        } else {
            // Unreachable for names the JDK format can express; keep the raw values rather than fail.
            self.init(rdns: name.reversed().map { rdn in
                rdn.map { Attribute(type: Self.jdkKeyword(for: $0.type), value: Self.decodeValue($0.value).text ?? "") }
            })
        }
    }

    /// `X500Principal.toString()`: RDNs most-specific first, joined by `", "`; the AVAs of a
    /// multi-valued RDN joined by `" + "`.
    static func jdkDefaultString(_ name: X509.DistinguishedName) -> String {
        name.reversed().map { rdn in
            rdn.map { attribute in
                jdkKeyword(for: attribute.type) + "=" + jdkValueString(attribute.value)
            }.joined(separator: " + ")
        }.joined(separator: ", ")
    }

    private static let jdkKeywords: [ASN1ObjectIdentifier: String] = [
        [2, 5, 4, 3]: "CN", [2, 5, 4, 6]: "C", [2, 5, 4, 7]: "L", [2, 5, 4, 8]: "ST",
        [2, 5, 4, 10]: "O", [2, 5, 4, 11]: "OU", [2, 5, 4, 12]: "T", [2, 5, 4, 9]: "STREET",
        [1, 3, 6, 1, 4, 1, 42, 2, 11, 2, 1]: "IP", [0, 9, 2342, 19_200_300, 100, 1, 25]: "DC",
        [2, 5, 4, 46]: "DNQ", [2, 5, 4, 4]: "SURNAME", [2, 5, 4, 42]: "GIVENNAME",
        [2, 5, 4, 43]: "INITIALS", [2, 5, 4, 44]: "GENERATION",
        [1, 2, 840, 113_549, 1, 9, 1]: "EMAILADDRESS", [0, 9, 2342, 19_200_300, 100, 1, 1]: "UID",
        [2, 5, 4, 5]: "SERIALNUMBER",
    ]

    static func jdkKeyword(for oid: ASN1ObjectIdentifier) -> String {
        jdkKeywords[oid] ?? "OID." + oid.dottedArcs
    }

    /// The value's text when the JDK has a string form for its ASN.1 type, and its full DER bytes.
    static func decodeValue(_ value: RelativeDistinguishedName.Attribute.Value) -> (text: String?, der: [UInt8]) {
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(ASN1Any(value))) != nil else { return (nil, []) }
        let der = serializer.serializedBytes
        guard let node = try? DER.parse(der), node.identifier.tagClass == .universal,
            case .primitive(let content) = node.content
        else { return (nil, der) }
        let bytes = Array(content)
        switch node.identifier.tagNumber {
        case 12, 19, 22:  // UTF8String, PrintableString, IA5String
            return (String(decoding: bytes, as: UTF8.self), der)
        case 20, 27:  // T61String, GeneralString: the JDK reads them as ISO-8859-1
            return (String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })), der)
        case 30:  // BMPString: UTF-16BE
            let units = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            return (String(decoding: units, as: UTF16.self), der)
        case 28:  // UniversalString: UTF-32BE
            let scalars = stride(from: 0, to: bytes.count - 3, by: 4).compactMap { i -> Unicode.Scalar? in
                Unicode.Scalar(bytes[i..<(i + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            }
            return (String(String.UnicodeScalarView(scalars)), der)
        default:
            return (nil, der)
        }
    }

    /// `sun.security.x509.AVA.toKeywordValueString` for the value part: quote when the value has
    /// special characters, leading/trailing blanks or double inner blanks; backslash `"` and `\`;
    /// `#` + upper-case DER hex for values without a string form.
    static func jdkValueString(_ value: RelativeDistinguishedName.Attribute.Value) -> String {
        let (text, der) = decodeValue(value)
        guard let text else {
            return "#" + der.map { hexDigits[Int($0 >> 4)] + hexDigits[Int($0 & 0x0F)] }.joined()
        }
        let scalars = Array(text.unicodeScalars)
        let alreadyQuoted = scalars.count > 1 && scalars.first == "\"" && scalars.last == "\""
        var quoteNeeded = false
        var previousWhite = false
        var buffer = String.UnicodeScalarView()
        for (i, c) in scalars.enumerated() {
            if alreadyQuoted && (i == 0 || i == scalars.count - 1) {
                buffer.append(c)
                continue
            }
            let isEscapee = jdkEscapees.contains(c)
            if isPrintableStringChar(c) || isEscapee {
                let isWhite = c == " " || c == "\n"
                if !quoteNeeded && ((i == 0 && isWhite) || isEscapee) { quoteNeeded = true }
                if !isWhite {
                    if c == "\"" || c == "\\" { buffer.append("\\") }
                    previousWhite = false
                } else {
                    if !quoteNeeded && previousWhite { quoteNeeded = true }
                    previousWhite = true
                }
                buffer.append(c)
            } else {
                previousWhite = false
                buffer.append(c)
            }
        }
        if let last = buffer.last, last == " " || last == "\n" { quoteNeeded = true }
        let body = String(buffer)
        return !alreadyQuoted && quoteNeeded ? "\"" + body + "\"" : body
    }

    private static let hexDigits = (0..<16).map { String($0, radix: 16, uppercase: true) }
    private static let jdkEscapees: Set<Unicode.Scalar> = [",", "+", "=", "\n", "<", ">", "#", ";", "\\", "\""]

    /// `DerValue.isPrintableStringChar`: the PrintableString alphabet.
    private static func isPrintableStringChar(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", " ", "'", "(", ")", "+", ",", "-", ".", "/", ":", "=", "?":
            return true
        default:
            return false
        }
    }
}

extension Certificate {
    /// The subject as the security plugin's principal string (reference §1.6), e.g.
    /// `CN=kirk,OU=client,O=client,L=test,C=de` — the string to put into `admin_dn`.
    public var principal: String {
        PKI.DistinguishedName(subject).description
    }

    /// The issuer rendered like ``principal``.
    public var issuerPrincipal: String {
        PKI.DistinguishedName(issuer).description
    }
}
