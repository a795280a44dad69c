/// The REST API's endpoints (reference §6.1, §6.2 endpoint names) and their resource nouns.
public enum SecurityAPIEndpoint: String, Sendable {
    case internalUsers = "INTERNALUSERS"
    case roles = "ROLES"
    case rolesMapping = "ROLESMAPPING"
    case actionGroups = "ACTIONGROUPS"
    case tenants = "TENANTS"
    case config = "CONFIG"
    case account = "ACCOUNT"
    case cache = "CACHE"
    case audit = "AUDIT"

    /// `/api/<segment>` → endpoint (ODFE's aliases `user` and `actiongroup` included).
    init?(segment: String) {
        switch segment {
        case "internalusers", "user": self = .internalUsers
        case "roles": self = .roles
        case "rolesmapping": self = .rolesMapping
        case "actiongroups", "actiongroup": self = .actionGroups
        case "tenants": self = .tenants
        case "securityconfig": self = .config
        case "account": self = .account
        case "cache": self = .cache
        case "audit": self = .audit
        default: return nil
        }
    }

    var configType: ConfigType {
        switch self {
        case .internalUsers, .account: return .internalusers
        case .roles: return .roles
        case .rolesMapping: return .rolesmapping
        case .actionGroups: return .actiongroups
        case .tenants: return .tenants
        case .config, .cache: return .config
        case .audit: return .audit
        }
    }

    /// The noun used in messages (`role foo not found.`; reference §6.1 "resource").
    var resourceName: String {
        switch self {
        case .internalUsers, .account: return "user"
        case .roles: return "role"
        case .rolesMapping: return "rolesmapping"
        case .actionGroups: return "actiongroup"
        case .tenants: return "tenant"
        case .config, .cache: return "config"
        case .audit: return "audit"
        }
    }
}
