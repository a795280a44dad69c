import JSONValue

/// An entry of `internal_users.yml` (reference §3.1, `InternalUserV7`).
public struct InternalUser: Sendable, Hashable {
    /// bcrypt hash (`$2a$`, `$2b$` or `$2y$`).
    public var hash: String
    public var flags: EntryFlags
    public var backendRoles: [String]
    /// Custom attributes, exposed to placeholders as `attr.internal.<key>` (reference §2.5).
    public var attributes: [String: String]
    public var attributeOrder: [String]
    public var description: String?
    /// Security roles assigned directly (`opendistro_security_roles`, reference §2.7).
    public var securityRoles: [String]

    public init(hash: String, flags: EntryFlags = EntryFlags(), backendRoles: [String] = [], attributes: [(String, String)] = [],
                description: String? = nil, securityRoles: [String] = []) {
        self.hash = hash
        self.flags = flags
        self.backendRoles = backendRoles
        self.attributes = Dictionary(attributes, uniquingKeysWith: { _, last in last })
        self.attributeOrder = attributes.map(\.0)
        self.description = description
        self.securityRoles = securityRoles
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        hash = try reader.string("hash") ?? ""
        flags = try EntryFlags(reading: &reader, hasStatic: true)
        backendRoles = try reader.strings("backend_roles")
        let pairs = try reader.stringMap("attributes")
        attributes = Dictionary(pairs, uniquingKeysWith: { _, last in last })
        attributeOrder = pairs.map(\.0)
        description = try reader.string("description")
        securityRoles = try reader.strings("opendistro_security_roles")
        try reader.finish()
    }

    /// The stored form; `hashVisible: false` blanks the hash as GET responses do (reference §6.3).
    func json(hashVisible: Bool = true) -> JSON {
        var object = JSONObject()
        object["hash"] = .string(hashVisible ? hash : "")
        object["reserved"] = .bool(flags.reserved)
        object["hidden"] = .bool(flags.hidden)
        object.setStrings("backend_roles", backendRoles)
        object["attributes"] = .object(JSONObject(attributeOrder.map { ($0, JSON.string(attributes[$0] ?? "")) }))
        object.setIfPresent("description", description)
        object.setStrings("opendistro_security_roles", securityRoles)
        object["static"] = .bool(flags.isStatic)
        return .object(object)
    }
}
