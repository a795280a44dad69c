/// A JSON object that remembers the order in which its keys were first set.
///
/// Lookups go through a key → position index, so large `_source` objects and aggregation
/// buckets stay O(1) per access. A duplicate key while parsing replaces the earlier value in
/// place, which is what Elasticsearch's parser does for `_source` maps.
public struct JSONObject: Sendable, Sequence {
    public typealias Element = (key: String, value: JSON)

    private var entries: [Element] = []
    private var positions: [String: Int] = [:]

    public init() {}

    public init(_ pairs: some Sequence<(String, JSON)>) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }
    /// The first member in insertion order (a bulk item's only key, an aggregation's type).
    public var first: Element? { entries.first }

    public subscript(key: String) -> JSON? {
        get { positions[key].map { entries[$0].value } }
        set {
            if let position = positions[key] {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    removeValue(forKey: key)
                }
            } else if let newValue {
                positions[key] = entries.count
                entries.append((key, newValue))
            }
        }
    }

    /// Removes `key`, keeping the order of the others. O(n): removal is rare next to lookups.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        guard let position = positions.removeValue(forKey: key) else { return nil }
        let removed = entries.remove(at: position).value
        for index in position..<entries.count {
            positions[entries[index].key] = index
        }
        return removed
    }

    public func makeIterator() -> IndexingIterator<[Element]> {
        entries.makeIterator()
    }
}

extension JSONObject: Hashable {
    /// Key order does not matter for equality: `{"a":1,"b":2}` equals `{"b":2,"a":1}`.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs.entries where rhs[key] != value {
            return false
        }
        return true
    }

    /// Order-independent, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in entries {
            var pairHasher = Hasher()
            pairHasher.combine(key)
            pairHasher.combine(value)
            combined ^= pairHasher.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(elements)
    }
}
