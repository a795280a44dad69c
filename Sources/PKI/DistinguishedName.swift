/// A distinguished name at the string level, modelled on `javax.naming.ldap.LdapName`.
///
/// The security plugin never looks at a certificate subject as ASN.1: it renders the subject as a
/// string (reference §1.6), parses that string as an `LdapName` and compares it with the configured
/// `admin_dn` entries using `LdapName` equality (reference §1.7). This type reproduces those three
/// steps so that certlab matches exactly the DNs the plugin matches:
///
/// * ``init(parsing:)`` accepts what `new LdapName(String)` accepts (RFC 2253 plus the JDK's
///   leniency: `;` as RDN separator, blanks around `,` `+` `=`, quoted values, `#hex` values);
/// * ``description`` prints what the plugin's `DefaultPrincipalExtractor` prints: RDNs joined by a
///   bare `,`, the values of a multi-valued RDN joined by `+` in `Rdn`'s sorted order, values escaped
///   like `Rdn.escapeValue`;
/// * `==` and `hash(into:)` follow `LdapName.equals`: attribute types and string values compare
///   case-insensitively, escaping is normalised, the order of RDNs matters but the order inside a
///   multi-valued RDN does not.
public struct DistinguishedName: Sendable, Hashable, CustomStringConvertible {
    /// One `type=value` assertion of an RDN.
    public struct Attribute: Sendable, Hashable {
        /// The attribute type exactly as written (`CN`, `cn`, `OID.1.2.3.4`, `1.2.3.4`).
        public var type: String
        /// The unescaped value. For a `#hex` (BER-encoded) value this is `#` followed by the
        /// lower-case hex digits, which is how `Rdn` prints and compares binary values.
        public var value: String
        /// True when the value was written as `#hex`: it is printed verbatim, not escaped.
        var isBinary: Bool

        /// Creates a string-valued attribute.
        public init(type: String, value: String) {
            self.init(type: type, value: value, isBinary: false)
        }

        init(type: String, value: String, isBinary: Bool) {
            self.type = type
            self.value = value
            self.isBinary = isBinary
        }

        /// `type=value` with the value escaped as `javax.naming.ldap.Rdn.escapeValue` does.
        var rendered: String {
            type + "=" + (isBinary ? value : DistinguishedName.escape(value))
        }

        /// The value as `Rdn.RdnEntry.getValueComparable()` sees it: binary values as their
        /// lower-case `#hex`, strings upper-cased.
        var comparableValue: String {
            isBinary ? value : value.uppercased()
        }

        /// `Rdn.RdnEntry.compareTo`: type case-insensitively, then the comparable value.
        static func precedes(_ lhs: Attribute, _ rhs: Attribute) -> Bool {
            let lt = lhs.type.uppercased(), rt = rhs.type.uppercased()
            if lt != rt { return lt.utf16.lexicographicallyPrecedes(rt.utf16) }
            return lhs.comparableValue.utf16.lexicographicallyPrecedes(rhs.comparableValue.utf16)
        }
    }

    /// RDNs in string order (most specific first, as the plugin's principal string lists them);
    /// each RDN may be multi-valued.
    public var rdns: [[Attribute]]

    /// Creates a name from RDNs given in string order.
    public init(rdns: [[Attribute]]) {
        self.rdns = rdns
    }

    /// Parses an RFC 2253 / `javax.naming.ldap.LdapName` string (escapes `\,` `\+` `\"` `\\`
    /// and `\hex` pairs, `#hex` values, quoted values, blanks around `,` `+` `=` ignored).
    ///
    /// The empty string is the empty name, as for `LdapName`.
    /// - Throws: ``DistinguishedNameError`` naming the position and the problem.
    public init(parsing string: String) throws {
        var parser = LdapNameParser(string)
        self.rdns = try parser.parse()
    }

    /// The security plugin's principal rendering (reference §1.6): bare commas between RDNs,
    /// `+` inside multi-valued RDNs (in `Rdn`'s sorted order, because `Rdn` sorts its entries when
    /// it is built), RFC 2253 escaping as `javax.naming.ldap.Rdn.toString()` does.
    public var description: String {
        rdns.map { rdn in
            rdn.sorted(by: Attribute.precedes).map(\.rendered).joined(separator: "+")
        }.joined(separator: ",")
    }

    /// All values of an attribute type (case-insensitive type, e.g. `"cn"`, `"ou"`), in string
    /// order.
    ///
    /// This is the lookup behind the `clientcert` authenticator's `username_attribute` and
    /// `roles_attribute` (reference §2.6), which asks each RDN for `Rdn.getType()` and
    /// `Rdn.getValue()`: for a multi-valued RDN (`CN=a+OU=b`) those are the *first* entry in
    /// `Rdn`'s sorted order only, so `OU=b` there is never found. Reproduced as is.
    public func values(of attributeType: String) -> [String] {
        let wanted = attributeType.uppercased()
        return rdns.compactMap { rdn in
            rdn.min(by: Attribute.precedes).flatMap { $0.type.uppercased() == wanted ? $0.value : nil }
        }
    }

    /// The RDNs normalised for `LdapName` equality: upper-cased types, comparable values, each
    /// RDN's entries sorted.
    private var comparisonKey: [[ComparisonEntry]] {
        rdns.map { rdn in
            rdn.map { ComparisonEntry(type: $0.type.uppercased(), value: $0.comparableValue) }.sorted(by: ComparisonEntry.precedes)
        }
    }

    /// Compared by bytes, as Java compares the strings (`hasSameBytes(as:)`): a value spelled
    /// with `é` as one code point and one spelled `e` + U+0301 make two names, so neither can
    /// pass for the other in `admin_dn` or `nodes_dn`.
    private struct ComparisonEntry: Hashable {
        var type: String
        var value: String

        static func == (lhs: ComparisonEntry, rhs: ComparisonEntry) -> Bool {
            lhs.type.hasSameBytes(as: rhs.type) && lhs.value.hasSameBytes(as: rhs.value)
        }

        func hash(into hasher: inout Hasher) {
            type.hashBytes(into: &hasher)
            value.hashBytes(into: &hasher)
        }

        static func precedes(_ lhs: ComparisonEntry, _ rhs: ComparisonEntry) -> Bool {
            lhs.type.hasSameBytes(as: rhs.type) ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
                : lhs.type.utf8.lexicographicallyPrecedes(rhs.type.utf8)
        }
    }

    public static func == (lhs: DistinguishedName, rhs: DistinguishedName) -> Bool {
        lhs.comparisonKey == rhs.comparisonKey
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(comparisonKey)
    }

    /// `javax.naming.ldap.Rdn.escapeValue(String)`: a backslash before each of `,=+<>#;"\`
    /// anywhere in the value and before leading and trailing blanks (space or carriage return).
    /// Unlike RFC 2253's minimum, `#` and `=` are escaped in every position.
    static func escape(_ value: String) -> String {
        let scalars = Array(value.unicodeScalars)
        let firstNonBlank = scalars.firstIndex { !isLdapBlank($0) } ?? scalars.count
        let lastNonBlank = scalars.lastIndex { !isLdapBlank($0) } ?? -1
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if index < firstNonBlank || index > lastNonBlank || escapees.contains(scalar) {
                out.append("\\")
            }
            out.append(scalar)
        }
        return String(out)
    }

    private static let escapees: Set<Unicode.Scalar> = [",", "=", "+", "<", ">", "#", ";", "\"", "\\"]

    /// `Rdn.isWhitespace`: only space and carriage return count as blanks.
    static func isLdapBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\r"
    }
}

/// A DN string that `LdapName` would reject, with the 1-based character position of the problem.
public struct DistinguishedNameError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The string that failed to parse.
    public let input: String
    /// 1-based position (in Unicode scalars) where parsing stopped.
    public let position: Int
    /// What was wrong there, e.g. "expected '=' after attribute type \"CN\"".
    public let reason: String

    public init(input: String, position: Int, reason: String) {
        self.input = input
        self.position = position
        self.reason = reason
    }

    public var description: String {
        "invalid distinguished name \"\(input)\" at position \(position): \(reason)"
    }
}
