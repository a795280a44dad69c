import JSONValue

/// The protection flags most entry types carry (reference §3): `reserved` (read-only for
/// non-super-admins), `hidden` (invisible to them), `static` (built into the plugin).
public struct EntryFlags: Sendable, Hashable {
    public var reserved = false
    public var hidden = false
    public var isStatic = false

    public init(reserved: Bool = false, hidden: Bool = false, isStatic: Bool = false) {
        self.reserved = reserved
        self.hidden = hidden
        self.isStatic = isStatic
    }

    /// `reserved` and `hidden`, the first two keys of every entry the REST API prints
    /// (reference §6.3); `static`, where a type has it, comes last and is added by the type.
    func leadingJSON() -> JSONObject {
        ["reserved": .bool(reserved), "hidden": .bool(hidden)]
    }

    init(reading reader: inout ConfigReader, hasStatic: Bool) throws(ConfigError) {
        reserved = try reader.bool("reserved", default: false)
        hidden = try reader.bool("hidden", default: false)
        if hasStatic { isStatic = try reader.bool("static", default: false) }
    }
}
