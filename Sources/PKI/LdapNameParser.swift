/// The grammar of `javax.naming.ldap.LdapName` (the JDK's `Rfc2253Parser` plus
/// `Rdn.unescapeValue`), reproduced so that `admin_dn` strings that the plugin accepts are accepted
/// here and mean the same thing (reference §1.7).
///
/// Deliberate JDK leniencies kept: `;` separates RDNs like `,`; blanks (space, carriage return)
/// around `,` `+` `=` are skipped; attribute types may contain letters, digits, `.`, `-` and inner
/// blanks; `#hex` values are BER bytes kept in binary form.
struct LdapNameParser {
    private let input: String
    private let chars: [Unicode.Scalar]
    private var cur = 0

    init(_ input: String) {
        self.input = input
        self.chars = Array(input.unicodeScalars)
    }

    /// RDNs in string order.
    mutating func parse() throws -> [[DistinguishedName.Attribute]] {
        var rdns: [[DistinguishedName.Attribute]] = []
        if chars.isEmpty { return rdns }
        rdns.append(try parseRdn())
        while cur < chars.count {
            guard chars[cur] == "," || chars[cur] == ";" else {
                throw error("expected ',' between RDNs but found '\(chars[cur])'")
            }
            cur += 1
            rdns.append(try parseRdn())
        }
        return rdns
    }

    private mutating func parseRdn() throws -> [DistinguishedName.Attribute] {
        var entries: [DistinguishedName.Attribute] = []
        while cur < chars.count || entries.isEmpty {
            skipBlanks()
            let type = try parseType()
            skipBlanks()
            guard cur < chars.count, chars[cur] == "=" else {
                throw error("expected '=' after attribute type \"\(type)\"")
            }
            cur += 1
            skipBlanks()
            let valueStart = cur
            let raw = try parseRawValue()
            skipBlanks()
            entries.append(try Self.unescape(raw, type: type) { reason in
                DistinguishedNameError(input: input, position: valueStart + 1, reason: reason)
            })
            guard cur < chars.count, chars[cur] == "+" else { break }
            cur += 1
        }
        return entries
    }

    private mutating func parseType() throws -> String {
        let start = cur
        while cur < chars.count, Self.isLetterOrDigit(chars[cur]) || [".", "-", " "].contains(chars[cur]) {
            cur += 1
        }
        while cur > start, chars[cur - 1] == " " { cur -= 1 }
        guard cur > start else {
            let found = cur < chars.count ? "'\(chars[cur])'" : "the end of the string"
            throw error("expected an attribute type (letters, digits, '.', '-') but found \(found)")
        }
        return Self.string(chars[start..<cur])
    }

    /// The value as written (still escaped/quoted), as `Rfc2253Parser.parseAttrValue` cuts it.
    private mutating func parseRawValue() throws -> String {
        let start = cur
        if cur < chars.count, chars[cur] == "#" {
            cur += 1
            while cur < chars.count, Self.isLetterOrDigit(chars[cur]) { cur += 1 }
            return Self.string(chars[start..<cur])
        }
        if cur < chars.count, chars[cur] == "\"" {
            cur += 1
            while cur < chars.count, chars[cur] != "\"" {
                if chars[cur] == "\\" { cur += 1 }
                cur += 1
            }
            guard cur < chars.count else {
                cur = start
                throw error("quoted value is not closed by '\"'")
            }
            cur += 1
            return Self.string(chars[start..<cur])
        }
        var escaped = -1
        while cur < chars.count, ![",", ";", "+"].contains(chars[cur]) {
            if chars[cur] == "\\" {
                cur += 1
                escaped = cur
            }
            cur += 1
        }
        guard cur <= chars.count else {
            cur = chars.count - 1
            throw error("a backslash at the end of the string escapes nothing")
        }
        var end = cur
        while end > start, DistinguishedName.isLdapBlank(chars[end - 1]), escaped != end - 1 { end -= 1 }
        return Self.string(chars[start..<end])
    }

    private mutating func skipBlanks() {
        while cur < chars.count, DistinguishedName.isLdapBlank(chars[cur]) { cur += 1 }
    }

    private func error(_ reason: String) -> DistinguishedNameError {
        DistinguishedNameError(input: input, position: cur + 1, reason: reason)
    }

    /// `javax.naming.ldap.Rdn.unescapeValue`, including its quirk of dropping one unescaped
    /// trailing blank inside a quoted value.
    static func unescape(
        _ raw: String, type: String, error: (String) -> DistinguishedNameError
    ) throws -> DistinguishedName.Attribute {
        let chars = Array(raw.unicodeScalars)
        var beg = 0, end = chars.count
        while beg < end, DistinguishedName.isLdapBlank(chars[beg]) { beg += 1 }
        while beg < end, DistinguishedName.isLdapBlank(chars[end - 1]) { end -= 1 }
        if end != chars.count, beg < end, chars[end - 1] == "\\" { end += 1 }
        if beg >= end { return .init(type: type, value: "") }
        if chars[beg] == "#" {
            let hex = chars[(beg + 1)..<end]
            guard hex.count % 2 == 0, hex.allSatisfy({ $0.properties.isASCIIHexDigit }) else {
                throw error("binary value must be '#' followed by pairs of hex digits")
            }
            return .init(type: type, value: "#" + string(hex).lowercased(), isBinary: true)
        }
        if chars[beg] == "\"", chars[end - 1] == "\"", end - beg >= 2 {
            beg += 1
            end -= 1
        }
        var out = String.UnicodeScalarView()
        var lastEscaped = -1
        var i = beg
        while i < end {
            if chars[i] == "\\", i + 1 < end {
                if !isLetterOrDigit(chars[i + 1]) {
                    i += 1
                    out.append(chars[i])
                    lastEscaped = i
                } else {
                    var bytes: [UInt8] = []
                    var j = i
                    while j + 2 < end, chars[j] == "\\",
                        let hi = hexValue(chars[j + 1]), let lo = hexValue(chars[j + 2])
                    {
                        bytes.append(hi << 4 | lo)
                        j += 3
                    }
                    guard !bytes.isEmpty else {
                        throw error("'\\' must be followed by a special character or two hex digits")
                    }
                    out.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars)
                    i = j - 1
                }
            } else {
                out.append(chars[i])
            }
            i += 1
        }
        if let last = out.last, DistinguishedName.isLdapBlank(last), lastEscaped != end - 1 {
            out.removeLast()
        }
        return .init(type: type, value: String(out))
    }

    /// `Character.isLetterOrDigit`: letters of any script and decimal digits.
    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber:
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt8? {
        guard scalar.isASCII, let digit = UInt8(String(scalar), radix: 16) else { return nil }
        return digit
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
