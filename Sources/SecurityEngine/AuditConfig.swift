import JSONValue

/// `audit.yml` (reference §9, dynamic part): which categories are logged on which layer and
/// which users are ignored. Absent file → shipped defaults.
public struct AuditConfig: Sendable, Hashable {
    public var enabled = true
    public var enableRest = true
    public var enableTransport = true
    /// Shipped default: AUTHENTICATED and GRANTED_PRIVILEGES are off (reference §9).
    public var disabledRestCategories: Set<AuditCategory> = [.authenticated, .grantedPrivileges]
    public var disabledTransportCategories: Set<AuditCategory> = [.authenticated, .grantedPrivileges]
    public var ignoreUsers: [String] = ["kibanaserver"]
    public var ignoreRequests: [String] = []
    public var logRequestBody = true
    public var resolveIndices = true
    public var excludeSensitiveHeaders = true

    public init() {}

    /// The configuration when `audit.yml` says nothing.
    public static let shipped = AuditConfig()

    init(document: SourceDocument, entry: JSON) throws(ConfigError) {
        var top = try ConfigReader(document, path: "/config", value: entry)
        enabled = try top.bool("enabled", default: true)
        if var audit = try top.object("audit") {
            enableRest = try audit.bool("enable_rest", default: true)
            enableTransport = try audit.bool("enable_transport", default: true)
            disabledRestCategories = try AuditConfig.categories(&audit, "disabled_rest_categories")
            disabledTransportCategories = try AuditConfig.categories(&audit, "disabled_transport_categories")
            ignoreUsers = try audit.strings("ignore_users").filter { $0 != "NONE" }
            ignoreRequests = try audit.strings("ignore_requests").filter { $0 != "NONE" }
            _ = try audit.bool("resolve_bulk_requests", default: false)
            logRequestBody = try audit.bool("log_request_body", default: true)
            resolveIndices = try audit.bool("resolve_indices", default: true)
            excludeSensitiveHeaders = try audit.bool("exclude_sensitive_headers", default: true)
            try audit.finish()
        }
        if var compliance = try top.object("compliance") {
            for key in ["enabled", "internal_config", "external_config", "read_metadata_only", "write_metadata_only", "write_log_diffs"] {
                _ = try compliance.bool(key, default: false)
            }
            for key in ["read_ignore_users", "write_watched_indices", "write_ignore_users"] {
                _ = try compliance.strings(key)
            }
            _ = try compliance.object("read_watched_fields")
            try compliance.finish()
        }
        try top.finish()
    }

    /// `NONE` in the list means "no category" (reference §9, OS-docs).
    private static func categories(_ reader: inout ConfigReader, _ key: String) throws(ConfigError) -> Set<AuditCategory> {
        var result = Set<AuditCategory>()
        for (index, name) in try reader.strings(key).enumerated() where name != "NONE" {
            guard let category = AuditCategory(rawValue: name) else {
                throw reader.error("\(key)/\(index)", "unknown audit category '\(name)'")
            }
            result.insert(category)
        }
        return result
    }

    /// Whether an event of `category` on `layer` for `user` should be written.
    public func isEnabled(_ category: AuditCategory, layer: AuditEvent.Layer, user: String?) -> Bool {
        guard enabled else { return false }
        switch layer {
        // Scanned, not hashed: a category hashes its string raw value, and the sets are small.
        case .rest: if !enableRest || disabledRestCategories.contains(where: { $0 == category }) { return false }
        case .transport: if !enableTransport || disabledTransportCategories.contains(where: { $0 == category }) { return false }
        }
        if let user, ignoreUsers.contains(where: { WildcardMatcher($0).matches(user) }) { return false }
        return true
    }
}
