/// Which product the node imitates. The two share one code lineage; the flavor decides the
/// strings users see (reference §0 naming map, §2.4 realm, §2.3 "not initialized", §6.3 messages).
///
/// `.openDistro` stands for ODFE 1.13 (and OS 1.x where the REST messages are identical);
/// `.openSearch` for OpenSearch 2.x with the refactored REST API messages.
public enum Flavor: String, Sendable, CaseIterable {
    case openDistro
    case openSearch

    /// "Open Distro Security" / "OpenSearch Security" (reference §0).
    public var productName: String {
        switch self {
        case .openDistro: return "Open Distro Security"
        case .openSearch: return "OpenSearch Security"
        }
    }

    /// The node-settings prefix (reference §1, §1.12).
    public var settingsPrefix: String {
        switch self {
        case .openDistro: return "opendistro_security."
        case .openSearch: return "plugins.security."
        }
    }

    /// The REST prefix used in messages (reference §0, §6.1). OpenSearch also routes the legacy one.
    public var restPrefix: String {
        switch self {
        case .openDistro: return "/_opendistro/_security"
        case .openSearch: return "/_plugins/_security"
        }
    }

    /// Value of the `WWW-Authenticate` header of the basic challenge (reference §2.4).
    public var basicChallenge: String { "Basic realm=\"\(productName)\"" }

    /// 503 text before the security index is loaded (reference §2.3 step 4, §7).
    public var notInitializedMessage: String { "\(productName) not initialized." }

    /// The admin tool named in "populate" messages (reference §6.3: ODFE says
    /// OpenDistroSecurityAdmin, OpenSearch SecurityAdmin).
    var adminToolName: String {
        switch self {
        case .openDistro: return "OpenDistroSecurityAdmin"
        case .openSearch: return "SecurityAdmin"
        }
    }

    /// The words before the role list in REST-API denial messages (reference §6.2).
    var securityRolesWording: String {
        switch self {
        case .openDistro: return "Open Distro Security Roles"
        case .openSearch: return "Security roles"
        }
    }
}
