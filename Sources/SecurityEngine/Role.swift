import JSONValue

/// An entry of `roles.yml` (reference §3.2, `RoleV7`).
public struct Role: Sendable, Hashable {
    public struct IndexPermission: Sendable, Hashable {
        public var indexPatterns: [String]
        public var dls: String?
        public var fls: [String]
        public var maskedFields: [String]
        public var allowedActions: [String]

        public init(indexPatterns: [String], allowedActions: [String], dls: String? = nil, fls: [String] = [], maskedFields: [String] = []) {
            self.indexPatterns = indexPatterns
            self.allowedActions = allowedActions
            self.dls = dls
            self.fls = fls
            self.maskedFields = maskedFields
        }
    }

    public struct TenantPermission: Sendable, Hashable {
        public var tenantPatterns: [String]
        public var allowedActions: [String]
    }

    public var flags: EntryFlags
    public var description: String?
    public var clusterPermissions: [String]
    public var indexPermissions: [IndexPermission]
    public var tenantPermissions: [TenantPermission]

    public init(flags: EntryFlags = EntryFlags(), description: String? = nil, clusterPermissions: [String] = [],
                indexPermissions: [IndexPermission] = [], tenantPermissions: [TenantPermission] = []) {
        self.flags = flags
        self.description = description
        self.clusterPermissions = clusterPermissions
        self.indexPermissions = indexPermissions
        self.tenantPermissions = tenantPermissions
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        flags = try EntryFlags(reading: &reader, hasStatic: true)
        description = try reader.string("description")
        clusterPermissions = try reader.strings("cluster_permissions")
        indexPermissions = []
        for var item in try reader.objects("index_permissions") {
            indexPermissions.append(IndexPermission(
                indexPatterns: try item.strings("index_patterns"),
                allowedActions: try item.strings("allowed_actions"),
                dls: try item.string("dls"),
                fls: try item.strings("fls"),
                maskedFields: try item.strings("masked_fields")))
            try item.finish()
        }
        tenantPermissions = []
        for var item in try reader.objects("tenant_permissions") {
            tenantPermissions.append(TenantPermission(
                tenantPatterns: try item.strings("tenant_patterns"),
                allowedActions: try item.strings("allowed_actions")))
            try item.finish()
        }
        try reader.finish()
    }

    /// Key order as the REST API prints roles (reference §6.3).
    func json() -> JSON {
        var object = flags.leadingJSON()
        object.setIfPresent("description", description)
        object.setStrings("cluster_permissions", clusterPermissions)
        object["index_permissions"] = .array(indexPermissions.map { permission in
            var entry = JSONObject()
            entry.setStrings("index_patterns", permission.indexPatterns)
            entry.setIfPresent("dls", permission.dls)
            entry.setStrings("fls", permission.fls)
            entry.setStrings("masked_fields", permission.maskedFields)
            entry.setStrings("allowed_actions", permission.allowedActions)
            return .object(entry)
        })
        object["tenant_permissions"] = .array(tenantPermissions.map { permission in
            var entry = JSONObject()
            entry.setStrings("tenant_patterns", permission.tenantPatterns)
            entry.setStrings("allowed_actions", permission.allowedActions)
            return .object(entry)
        })
        object["static"] = .bool(flags.isStatic)
        return .object(object)
    }
}
