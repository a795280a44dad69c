/// Texts compared as the plugin compares them: by their code units.
///
/// Swift's `String` equality and hashing follow Unicode canonical equivalence, so `"é"` written
/// as U+00E9 and as `e` + U+0301 are one dictionary key. Java compares UTF-16 units, and the
/// plugin and Elasticsearch treat those two spellings as two index names, two document ids,
/// two user names; so do certlab's pattern matching (`WildcardMatcher`) and its storage. Every
/// memo keyed by such names must compare them the same way, or a decision made for one spelling
/// would be handed to the other: a role granting the index `é` would let its user read the
/// index `é` spelled the other way once the decision was remembered.
public struct ExactText: Hashable, Sendable {
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    public static func == (lhs: ExactText, rhs: ExactText) -> Bool {
        lhs.text.hasSameBytes(as: rhs.text)
    }

    public func hash(into hasher: inout Hasher) {
        text.hashBytes(into: &hasher)
    }
}

extension String {
    /// Equal UTF-8 bytes (equal UTF-16 units, as Java's `String.equals`).
    public func hasSameBytes(as other: String) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }

    /// Feeds the UTF-8 bytes to `hasher`, consistent with `hasSameBytes(as:)`.
    public func hashBytes(into hasher: inout Hasher) {
        var text = self
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(utf8.count)
    }
}

extension Optional where Wrapped == String {
    /// Both nil, or both texts with the same bytes.
    public func hasSameBytes(as other: String?) -> Bool {
        guard let self, let other else { return self == nil && other == nil }
        return self.hasSameBytes(as: other)
    }
}

/// Header fields (`(name, value)` pairs, in order) with the same bytes: the same count, and each
/// name and value `hasSameBytes(as:)` its counterpart. `count` of either side must be given,
/// as an `HTTPHeaders` knows its count without walking it. Inlinable: it runs on every repeated
/// request, and a generic function called across modules would not be specialised.
@inlinable
public func fieldsHaveSameBytes<A: Sequence, B: Sequence>(_ lhs: A, count lhsCount: Int, _ rhs: B, count rhsCount: Int) -> Bool
where A.Element == (name: String, value: String), B.Element == (name: String, value: String) {
    lhsCount == rhsCount && zip(lhs, rhs).allSatisfy { $0.name.hasSameBytes(as: $1.name) && $0.value.hasSameBytes(as: $1.value) }
}

extension Array where Element == String {
    /// Same count, and each element `hasSameBytes(as:)` its counterpart.
    public func hasSameBytes(as other: [String]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0.hasSameBytes(as: $1) }
    }
}

extension Dictionary where Key == String, Value == String {
    /// The same entries, names and values compared byte for byte.
    public func hasSameBytes(as other: [String: String]) -> Bool {
        count == other.count && allSatisfy { name, value in
            guard let index = other.index(forKey: name) else { return false }
            return other[index].key.hasSameBytes(as: name) && other[index].value.hasSameBytes(as: value)
        }
    }

    /// Feeds the entries' bytes to `hasher` independently of the dictionary's order, consistent
    /// with `hasSameBytes(as:)`.
    public func hashBytes(into hasher: inout Hasher) {
        var entries = 0
        for (name, value) in self {
            var one = Hasher()
            name.hashBytes(into: &one)
            value.hashBytes(into: &one)
            entries ^= one.finalize()
        }
        hasher.combine(count)
        hasher.combine(entries)
    }
}
