import JSONValue

/// An entry of `action_groups.yml` (reference §3.4): a named set of actions, patterns or other
/// groups.
public struct ActionGroup: Sendable, Hashable {
    public var flags: EntryFlags
    public var allowedActions: [String]
    /// `cluster`, `index`, `kibana` or `all`.
    public var type: String?
    public var description: String?

    public init(flags: EntryFlags = EntryFlags(), allowedActions: [String], type: String? = nil, description: String? = nil) {
        self.flags = flags
        self.allowedActions = allowedActions
        self.type = type
        self.description = description
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        flags = try EntryFlags(reading: &reader, hasStatic: true)
        allowedActions = try reader.strings("allowed_actions")
        type = try reader.string("type")
        description = try reader.string("description")
        try reader.finish()
    }

    /// Key order of the REST API's action-group output (reference §6.3).
    func json() -> JSON {
        var object = flags.leadingJSON()
        object.setStrings("allowed_actions", allowedActions)
        object.setIfPresent("type", type)
        object.setIfPresent("description", description)
        object["static"] = .bool(flags.isStatic)
        return .object(object)
    }
}
