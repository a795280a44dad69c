import JSONValue

/// An entry of `tenants.yml` (reference §3.5).
public struct Tenant: Sendable, Hashable {
    public var flags: EntryFlags
    public var description: String?

    public init(flags: EntryFlags = EntryFlags(), description: String? = nil) {
        self.flags = flags
        self.description = description
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        flags = try EntryFlags(reading: &reader, hasStatic: true)
        description = try reader.string("description")
        try reader.finish()
    }

    func json() -> JSON {
        var object = flags.leadingJSON()
        object.setIfPresent("description", description)
        object["static"] = .bool(flags.isStatic)
        return .object(object)
    }
}
