/// HTTP header names compared as RFC 9110 §5.1 says, case-insensitively — byte by byte: names
/// are ASCII tokens, and lower-casing each one allocated a string per header for every lookup,
/// several lookups per request (forbidden prefixes, tenant, impersonation, credentials).
public enum HeaderName {
    /// True when `name` equals `lowercased`, which must be given in lower case.
    public static func equal(_ name: String, _ lowercased: String) -> Bool {
        name.utf8.count == lowercased.utf8.count && hasPrefix(name, lowercased)
    }

    /// True when `name` starts with `lowercasedPrefix`, which must be given in lower case.
    public static func hasPrefix(_ name: String, _ lowercasedPrefix: String) -> Bool {
        var characters = name.utf8.makeIterator()
        for expected in lowercasedPrefix.utf8 {
            guard let byte = characters.next() else { return false }
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            guard folded == expected else { return false }
        }
        return true
    }
}
