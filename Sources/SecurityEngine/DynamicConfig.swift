import JSONValue

/// `config.yml` → `config.dynamic` (reference §2.1, `ConfigV7`): authentication domains,
/// authorization backends, anonymous auth, XFF and failure listeners.
public struct DynamicConfig: Sendable, Hashable {
    /// One `authc` entry (reference §2.1 defaults: enabled on both layers, order 0, challenge true).
    public struct AuthenticationDomain: Sendable, Hashable {
        public var name: String
        public var description: String?
        public var httpEnabled: Bool
        public var transportEnabled: Bool
        public var order: Int
        public var authenticatorType: String?
        public var challenge: Bool
        public var authenticatorConfig: JSONObject
        public var backendType: String
        public var backendConfig: JSONObject
    }

    /// One `authz` entry.
    public struct AuthorizationDomain: Sendable, Hashable {
        public var name: String
        public var httpEnabled: Bool
        public var backendType: String
    }

    /// One `auth_failure_listeners` entry (reference §2.1 defaults).
    public struct FailureListener: Sendable, Hashable {
        public var name: String
        public var type: String
        public var allowedTries: Int
        public var timeWindowSeconds: Int
        public var blockExpirySeconds: Int
        public var maxBlockedClients: Int
        public var maxTrackedClients: Int
        public var ignoreHosts: [String]
    }

    public var anonymousAuthEnabled = false
    public var xffEnabled = false
    /// Default: RFC 1918, loopback and link-local addresses (reference §2.1 `http.xff` defaults).
    public var internalProxies = "10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|192\\.168\\.\\d{1,3}\\.\\d{1,3}|169\\.254\\.\\d{1,3}\\.\\d{1,3}|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|172\\.1[6-9]{1}\\.\\d{1,3}\\.\\d{1,3}|172\\.2[0-9]{1}\\.\\d{1,3}\\.\\d{1,3}|172\\.3[0-1]{1}\\.\\d{1,3}\\.\\d{1,3}"
    public var remoteIpHeader = "X-Forwarded-For"
    public var authenticationDomains: [AuthenticationDomain] = []
    public var authorizationDomains: [AuthorizationDomain] = []
    public var failureListeners: [FailureListener] = []
    public var multitenancyEnabled = true
    public var kibanaServerUsername = "kibanaserver"
    public var kibanaIndex = ".kibana"
    public var doNotFailOnForbidden = false
    public var hostsResolverMode = "ip-only"

    public init() {}

    /// Reads the document `{config: {dynamic: {...}}}`.
    init(document: SourceDocument, entry: JSON) throws(ConfigError) {
        var top = try ConfigReader(document, path: "/config", value: entry)
        guard var dynamic = try top.object("dynamic") else { try top.finish(); return }
        try top.finish()
        for key in ["filtered_alias_mode", "license", "transport_userrname_attribute", "privileges_evaluation_type"] {
            _ = try dynamic.string(key)
        }
        for key in ["disable_rest_auth", "disable_intertransport_auth", "respect_request_indices_options",
                    "multi_rolespan_enabled", "do_not_fail_on_forbidden_empty"] {
            _ = try dynamic.bool(key, default: false)
        }
        _ = dynamic.raw("on_behalf_of")
        doNotFailOnForbidden = try dynamic.bool("do_not_fail_on_forbidden", default: false)
        hostsResolverMode = try dynamic.string("hosts_resolver_mode") ?? "ip-only"
        if var kibana = try dynamic.object("kibana") {
            multitenancyEnabled = try kibana.bool("multitenancy_enabled", default: true)
            kibanaServerUsername = try kibana.string("server_username") ?? "kibanaserver"
            kibanaIndex = try kibana.string("index") ?? ".kibana"
            _ = try kibana.string("opendistro_role")
            _ = try kibana.bool("private_tenant_enabled", default: true)
            _ = try kibana.string("default_tenant")
            _ = try kibana.strings("sign_in_options")
            try kibana.finish()
        }
        if var http = try dynamic.object("http") {
            anonymousAuthEnabled = try http.bool("anonymous_auth_enabled", default: false)
            if var xff = try http.object("xff") {
                xffEnabled = try xff.bool("enabled", default: false)
                internalProxies = try xff.string("internalProxies") ?? internalProxies
                remoteIpHeader = try xff.string("remoteIpHeader") ?? remoteIpHeader
                _ = try xff.string("proxiesHeader")
                _ = try xff.string("trustedProxies")
                try xff.finish()
            }
            try http.finish()
        }
        if let authc = dynamic.raw("authc") {
            let map = try ConfigReader(document, path: "/config/dynamic/authc", value: authc)
            for (name, value) in map.object {
                var domain = try ConfigReader(document, path: map.path + "/" + name, value: value)
                authenticationDomains.append(try DynamicConfig.readDomain(name: name, &domain))
            }
        }
        if let authz = dynamic.raw("authz") {
            let map = try ConfigReader(document, path: "/config/dynamic/authz", value: authz)
            for (name, value) in map.object {
                var domain = try ConfigReader(document, path: map.path + "/" + name, value: value)
                _ = try domain.string("description")
                let httpEnabled = try domain.bool("http_enabled", default: true)
                _ = try domain.bool("transport_enabled", default: true)
                _ = try domain.strings("skipped_users")
                var backendType = "noop"
                if var backend = try domain.object("authorization_backend") {
                    backendType = try backend.string("type") ?? "noop"
                    _ = backend.raw("config")
                    try backend.finish()
                }
                try domain.finish()
                authorizationDomains.append(AuthorizationDomain(name: name, httpEnabled: httpEnabled, backendType: backendType))
            }
        }
        if let listeners = dynamic.raw("auth_failure_listeners") {
            let map = try ConfigReader(document, path: "/config/dynamic/auth_failure_listeners", value: listeners)
            for (name, value) in map.object {
                var entry = try ConfigReader(document, path: map.path + "/" + name, value: value)
                failureListeners.append(try DynamicConfig.readListener(name: name, &entry))
            }
        }
        try dynamic.finish()
    }

    private static func readDomain(name: String, _ reader: inout ConfigReader) throws(ConfigError) -> AuthenticationDomain {
        let description = try reader.string("description")
        let httpEnabled = try reader.bool("http_enabled", default: true)
        let transportEnabled = try reader.bool("transport_enabled", default: true)
        let order = try reader.int("order", default: 0)
        _ = try reader.strings("skip_users")
        var authenticatorType: String?
        var challenge = true
        var authenticatorConfig = JSONObject()
        if var authenticator = try reader.object("http_authenticator") {
            authenticatorType = try authenticator.string("type")
            challenge = try authenticator.bool("challenge", default: true)
            if let config = authenticator.raw("config") {
                guard let object = config.objectValue else { throw authenticator.error("config", "expected an object") }
                authenticatorConfig = object
            }
            try authenticator.finish()
        }
        var backendType = "intern"
        var backendConfig = JSONObject()
        if var backend = try reader.object("authentication_backend") {
            backendType = try backend.string("type") ?? "intern"
            if let config = backend.raw("config") {
                guard let object = config.objectValue else { throw backend.error("config", "expected an object") }
                backendConfig = object
            }
            try backend.finish()
        }
        try reader.finish()
        return AuthenticationDomain(name: name, description: description, httpEnabled: httpEnabled, transportEnabled: transportEnabled,
                                    order: order, authenticatorType: authenticatorType, challenge: challenge,
                                    authenticatorConfig: authenticatorConfig, backendType: backendType, backendConfig: backendConfig)
    }

    private static func readListener(name: String, _ reader: inout ConfigReader) throws(ConfigError) -> FailureListener {
        guard let type = try reader.string("type") else { throw reader.error("type", "missing (expected 'ip' or 'username')") }
        guard type == "ip" || type == "username" else { throw reader.error("type", "expected 'ip' or 'username', found '\(type)'") }
        if var backend = try reader.object("authentication_backend") {
            _ = try backend.string("type")
            _ = backend.raw("config")
            try backend.finish()
        }
        let listener = FailureListener(
            name: name, type: type,
            allowedTries: try reader.int("allowed_tries", default: 10),
            timeWindowSeconds: try reader.int("time_window_seconds", default: 3600),
            blockExpirySeconds: try reader.int("block_expiry_seconds", default: 600),
            maxBlockedClients: try reader.int("max_blocked_clients", default: 100_000),
            maxTrackedClients: try reader.int("max_tracked_clients", default: 100_000),
            ignoreHosts: try reader.strings("ignore_hosts"))
        try reader.finish()
        return listener
    }

    /// HTTP-enabled domains with an authenticator, ascending `order`; equal orders collapse to
    /// the first one seen, as the plugin's order-only `TreeSet` does (reference §2.3 step 6).
    public var httpDomainChain: [AuthenticationDomain] {
        var chosen: [Int: AuthenticationDomain] = [:]
        for domain in authenticationDomains where domain.httpEnabled && domain.authenticatorType != nil {
            if chosen[domain.order] == nil { chosen[domain.order] = domain }
        }
        return chosen.keys.sorted().compactMap { chosen[$0] }
    }
}
