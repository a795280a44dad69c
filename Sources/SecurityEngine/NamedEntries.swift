/// Entries of one config type in file order, looked up by name.
///
/// File order matters for output (GET returns entries as stored) and for deterministic
/// role-resolution order; lookups are by name.
public struct NamedEntries<Value: Sendable & Hashable>: Sendable, Hashable, Sequence {
    public private(set) var names: [String] = []
    private var values: [String: Value] = [:]

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        for (name, value) in pairs { self[name] = value }
    }

    public subscript(name: String) -> Value? {
        get { values[name] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if values.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    public var count: Int { names.count }

    public func makeIterator() -> AnyIterator<(name: String, value: Value)> {
        var iterator = names.makeIterator()
        return AnyIterator {
            guard let name = iterator.next() else { return nil }
            return (name, values[name]!)
        }
    }
}
