import JSONValue

/// An entry of `roles_mapping.yml` (reference §3.3); the entry name is the security role granted.
///
/// A mapping applies if any of: a `users` pattern matches the user name, a `backend_roles`
/// pattern matches a backend role, every `and_backend_roles` pattern matches some backend role,
/// or a `hosts` pattern matches the caller's address (reference §2.7).
public struct RoleMapping: Sendable, Hashable {
    public var flags: EntryFlags
    public var backendRoles: [String]
    public var andBackendRoles: [String]
    public var hosts: [String]
    public var users: [String]
    public var description: String?

    public init(flags: EntryFlags = EntryFlags(), backendRoles: [String] = [], andBackendRoles: [String] = [],
                hosts: [String] = [], users: [String] = [], description: String? = nil) {
        self.flags = flags
        self.backendRoles = backendRoles
        self.andBackendRoles = andBackendRoles
        self.hosts = hosts
        self.users = users
        self.description = description
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        flags = try EntryFlags(reading: &reader, hasStatic: false)
        backendRoles = try reader.strings("backend_roles")
        andBackendRoles = try reader.strings("and_backend_roles")
        hosts = try reader.strings("hosts")
        users = try reader.strings("users")
        description = try reader.string("description")
        try reader.finish()
    }

    func json() -> JSON {
        var object = flags.leadingJSON()
        object.setStrings("backend_roles", backendRoles)
        object.setStrings("hosts", hosts)
        object.setStrings("users", users)
        object.setStrings("and_backend_roles", andBackendRoles)
        object.setIfPresent("description", description)
        return .object(object)
    }
}
