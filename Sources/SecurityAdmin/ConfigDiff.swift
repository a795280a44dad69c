import JSONValue
import SecurityEngine

/// What an upload would change, per type and entry (issue 6 `diff`, and the summary line
/// `serve` logs after each apply). Entries are compared as JSON, so formatting, comments and
/// key order in the YAML do not count as changes.
public struct ConfigDiff: Sendable, Equatable {
    /// The changes of one type.
    public struct TypeChanges: Sendable, Equatable {
        public var type: ConfigType
        public var added: [String]
        public var removed: [String]
        public var changed: [String]

        public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
    }

    /// Only types with at least one change, in the plugin's type order.
    public var types: [TypeChanges]

    public var isEmpty: Bool { types.isEmpty }

    /// Compares the local documents with the node's stored documents (both with `_meta`).
    /// A type the node does not have counts all local entries as added.
    public init(local: [ConfigType: JSON], remote: [ConfigType: JSON]) {
        var types: [TypeChanges] = []
        for type in ConfigType.allCases {
            guard let mine = local[type] else { continue }
            let ours = ConfigDiff.entries(mine)
            let theirs = ConfigDiff.entries(remote[type])
            var changes = TypeChanges(type: type, added: [], removed: [], changed: [])
            for (name, value) in ours {
                if let other = theirs[name] {
                    if other != value { changes.changed.append(name) }
                } else {
                    changes.added.append(name)
                }
            }
            changes.removed = theirs.keys.filter { ours[$0] == nil }
            if !changes.isEmpty { types.append(changes) }
        }
        self.types = types
    }

    /// One line per changed type: `rolesmapping: +1 ~1 -0 (added: x; changed: readall)`, or
    /// `no changes`.
    public var summary: String {
        guard !isEmpty else { return "no changes" }
        return types.map { changes in
            var parts: [String] = []
            if !changes.added.isEmpty { parts.append("added: " + changes.added.joined(separator: ", ")) }
            if !changes.changed.isEmpty { parts.append("changed: " + changes.changed.joined(separator: ", ")) }
            if !changes.removed.isEmpty { parts.append("removed: " + changes.removed.joined(separator: ", ")) }
            return "\(changes.type.rawValue) +\(changes.added.count) ~\(changes.changed.count) -\(changes.removed.count) (\(parts.joined(separator: "; ")))"
        }.joined(separator: ", ")
    }

    /// The `diff` command's listing: `+ rolesmapping/x`, `~ rolesmapping/readall`, `- roles/old`.
    public var listing: [String] {
        types.flatMap { changes in
            changes.added.map { "+ \(changes.type.rawValue)/\($0)" }
                + changes.changed.map { "~ \(changes.type.rawValue)/\($0)" }
                + changes.removed.map { "- \(changes.type.rawValue)/\($0)" }
        }
    }

    private static func entries(_ document: JSON?) -> JSONObject {
        var object = document?.objectValue ?? JSONObject()
        _ = object.removeValue(forKey: "_meta")
        return object
    }
}
