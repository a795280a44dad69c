/// The configuration types of the security index (reference §3, `CType`), with the YAML file
/// each one is read from in a `securityconfig/` directory.
public enum ConfigType: String, Sendable, CaseIterable, Hashable, Comparable {
    case config
    case internalusers
    case actiongroups
    case roles
    case rolesmapping
    case tenants
    case nodesdn
    case whitelist
    case allowlist
    case audit

    /// The file name the plugin's tools use for this type (reference §3).
    public var fileName: String {
        switch self {
        case .config: return "config.yml"
        case .internalusers: return "internal_users.yml"
        case .actiongroups: return "action_groups.yml"
        case .roles: return "roles.yml"
        case .rolesmapping: return "roles_mapping.yml"
        case .tenants: return "tenants.yml"
        case .nodesdn: return "nodes_dn.yml"
        case .whitelist: return "whitelist.yml"
        case .allowlist: return "allowlist.yml"
        case .audit: return "audit.yml"
        }
    }

    /// Types without which the plugin does not consider itself initialised.
    public static let required: [ConfigType] = [.config, .internalusers, .actiongroups, .roles, .rolesmapping, .tenants]

    /// Types whose document is a single entry named `config` rather than a map of named entries.
    var isSingleEntry: Bool { self == .config || self == .whitelist || self == .allowlist || self == .audit }

    public static func < (lhs: ConfigType, rhs: ConfigType) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
