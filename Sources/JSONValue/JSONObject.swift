/// A JSON object that remembers the order in which its keys were first set.
///
/// Small objects (bulk action lines, log documents, per-item responses: at most
/// `indexThreshold` keys) are a plain array searched linearly, which needs no hashing and no
/// second allocation; a key → position index is built once an object grows past that, so large
/// `_source` objects and aggregation buckets stay O(1) per access. A duplicate key while
/// parsing replaces the earlier value in place, which is what Elasticsearch's parser does for
/// `_source` maps.
public struct JSONObject: Sendable, Sequence {
    public typealias Element = (key: String, value: JSON)

    @usableFromInline
    internal var entries: [Element] = []
    /// Key → position in `entries`; nil while the object has at most `indexThreshold` keys.
    private var positions: [String: Int]?

    /// Up to this many keys a linear scan of short keys beats hashing them (measured on bulk
    /// ingest, where every document and every per-item response is such an object).
    static let indexThreshold = 12

    public init() {}

    /// Inlinable so callers get it specialized for their sequence type (unspecialized generic
    /// iteration cost more than building the object, e.g. per bulk item response).
    @inlinable
    public init(_ pairs: some Sequence<(String, JSON)>) {
        self.init()
        entries.reserveCapacity(pairs.underestimatedCount)
        for (key, value) in pairs { self[key] = value }
    }

    /// An object of members whose keys the caller knows to be distinct (a response built in
    /// code): no key is looked up while building it. Checked in debug builds.
    public init(distinctMembers members: [(String, JSON)]) {
        guard members.count <= Self.indexThreshold else {
            self.init(members)
            return
        }
        assert(Set(members.map(\.0)).count == members.count, "duplicate keys in \(members.map(\.0))")
        self.init()
        entries = members.map { (key: $0.0, value: $0.1) }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }
    /// The first member in insertion order (a bulk item's only key, an aggregation's type).
    public var first: Element? { entries.first }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        // Lengths first: O(1) for native strings, and most keys of an object differ in length.
        let length = key.utf8.count
        for index in entries.indices where entries[index].key.utf8.count == length && entries[index].key == key { return index }
        return nil
    }

    public subscript(key: String) -> JSON? {
        get { position(of: key).map { entries[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    removeValue(forKey: key)
                }
            } else if let newValue {
                positions?[key] = entries.count
                entries.append((key, newValue))
                if positions == nil, entries.count > Self.indexThreshold {
                    var index: [String: Int] = [:]
                    index.reserveCapacity(entries.count * 2)
                    for (position, entry) in entries.enumerated() { index[entry.key] = position }
                    positions = index
                }
            }
        }
    }

    /// Removes `key`, keeping the order of the others. O(n): removal is rare next to lookups.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSON? {
        guard let position = position(of: key) else { return nil }
        let removed = entries.remove(at: position).value
        if positions != nil {
            positions?.removeValue(forKey: key)
            for index in position..<entries.count {
                positions?[entries[index].key] = index
            }
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
