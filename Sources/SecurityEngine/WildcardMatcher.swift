import Foundation

/// The plugin's pattern language (reference §4.2, `WildcardMatcher`): `*` alone matches
/// everything; `/.../` is a regular expression that must match the whole string; a string
/// containing `*` or `?` is a glob in which `*` matches any run of characters **including `/`**
/// and `?` exactly one; anything else is compared exactly.
///
/// A matcher is compiled once (regexes are built at construction) so that privilege evaluation
/// only pays for the comparison (issue 4 performance target).
public struct WildcardMatcher: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case any
        case exact([UInt8])
        case glob([UInt8])
        case regex(String)
        case invalid
    }

    let kind: Kind
    public let pattern: String
    public let caseInsensitive: Bool
    private let regex: RegexBox?

    public init(_ pattern: String, caseInsensitive: Bool = false) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
        let folded = caseInsensitive ? pattern.lowercased() : pattern
        if pattern == "*" {
            kind = .any
            regex = nil
        } else if pattern.count > 1, pattern.hasPrefix("/"), pattern.hasSuffix("/") {
            let body = String(pattern.dropFirst().dropLast())
            if let compiled = try? NSRegularExpression(pattern: "^(?:" + body + ")$", options: caseInsensitive ? [.caseInsensitive] : []) {
                kind = .regex(body)
                regex = RegexBox(compiled)
            } else {
                kind = .invalid
                regex = nil
            }
        } else if pattern.contains("*") || pattern.contains("?") {
            kind = .glob(Array(folded.utf8))
            regex = nil
        } else {
            kind = .exact(Array(folded.utf8))
            regex = nil
        }
    }

    /// True when the pattern is not a plain string (used to decide whether an index expression
    /// must be resolved against existing indices).
    public var isWildcard: Bool {
        switch kind {
        case .exact: return false
        default: return true
        }
    }

    public func matches(_ candidate: String) -> Bool {
        switch kind {
        case .any: return true
        case .invalid: return false
        case .exact(let bytes):
            let text = caseInsensitive ? candidate.lowercased() : candidate
            return text.utf8.elementsEqual(bytes)
        case .glob(let bytes):
            let text = caseInsensitive ? candidate.lowercased() : candidate
            var copy = text
            return copy.withUTF8 { WildcardMatcher.glob(bytes, $0) }
        case .regex:
            let range = NSRange(candidate.startIndex..., in: candidate)
            return regex!.value.firstMatch(in: candidate, range: range) != nil
        }
    }

    /// Iterative glob match with single-star backtracking; `?` matches one byte of a UTF-8
    /// sequence boundary-agnostically, which is exact for the ASCII names used in practice.
    static func glob(_ pattern: [UInt8], _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var p = 0, t = 0, starP = -1, starT = 0
        let star = UInt8(ascii: "*"), question = UInt8(ascii: "?")
        while t < text.count {
            if p < pattern.count, pattern[p] == question || pattern[p] == text[t] {
                p += 1; t += 1
            } else if p < pattern.count, pattern[p] == star {
                starP = p; starT = t; p += 1
            } else if starP >= 0 {
                p = starP + 1; starT += 1; t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }

    public static func == (lhs: WildcardMatcher, rhs: WildcardMatcher) -> Bool {
        lhs.pattern == rhs.pattern && lhs.caseInsensitive == rhs.caseInsensitive
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(caseInsensitive)
    }
}

/// `NSRegularExpression` is thread-safe for matching but not marked `Sendable` on Linux.
final class RegexBox: @unchecked Sendable {
    let value: NSRegularExpression
    init(_ value: NSRegularExpression) { self.value = value }
}

extension Array where Element == WildcardMatcher {
    func anyMatches(_ candidate: String) -> Bool {
        contains { $0.matches(candidate) }
    }
}
