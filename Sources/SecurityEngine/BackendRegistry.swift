import Foundation
import JSONValue

/// The REST authentication flow (reference §2.3, `BackendRegistry.authenticate`).
extension SecurityService {
    /// Paths that skip authentication (reference §2.3): `OPTIONS`, `.../health`, and on
    /// OpenSearch also `.../whoami`, under either prefix.
    public func skipsAuthentication(method: String, path: String) -> Bool {
        if method == "OPTIONS" { return true }
        // Every such path is under one of the two REST prefixes; most requests stop here.
        guard path.utf8.starts(with: "/_opendistro/".utf8) || path.utf8.starts(with: "/_plugins/".utf8) else { return false }
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        return (flavor == .openSearch ? Self.openSearchUnauthenticated : Self.openDistroUnauthenticated).contains(trimmed)
    }

    private static let openDistroUnauthenticated: Set = [Flavor.openDistro.restPrefix + "/health"]
    private static let openSearchUnauthenticated: Set = [
        Flavor.openDistro.restPrefix + "/health", Flavor.openSearch.restPrefix + "/health",
        Flavor.openDistro.restPrefix + "/whoami", Flavor.openSearch.restPrefix + "/whoami",
    ]

    /// Authenticates one REST request; see reference §2.3 for the order of the steps.
    public func authenticate(_ request: AuthenticationRequest) -> AuthenticationOutcome {
        // Forbidden thread-context headers are rejected before anything else (reference §2.3, §7).
        if request.headers.contains(where: { HeaderName.hasPrefix($0.name, "_opendistro_security_") }) {
            return .rejected(pluginError(403, SecurityService.illegalParameterMessage), audit: .badHeaders, attemptedUser: "<NONE>")
        }
        let state = currentState()
        let clock = now()
        let finallyFailed = SecurityResponse.text(401, "Authentication finally failed")
        // 1. Blocked client address.
        if let state, state.listeners.contains(where: { $0.isByAddress && $0.isBlocked(request.remoteAddress, now: clock) }) {
            return .rejected(finallyFailed, audit: .failedLogin, attemptedUser: "<NONE>")
        }
        // 2. Admin certificate first; works before initialisation.
        if let principal = request.principal, isAdminPrincipal(principal) {
            let user = User(name: principal, isSuperAdmin: true, remoteAddress: request.remoteAddress)
            return .authenticated(resolveRoles(user))
        }
        // 4. Not initialised.
        guard let state else {
            return .rejected(.text(503, flavor.notInitializedMessage), audit: .failedLogin, attemptedUser: "<NONE>")
        }
        // 5. Remote address.
        let (address, viaProxy) = state.xff.resolve(request)
        let dynamic = state.configuration.dynamic
        var firstChallenger: DynamicConfig.AuthenticationDomain?
        var anyCredentials = false
        var attempted = "<NONE>"
        // 6. Domains by order.
        for domain in state.httpDomainChain {
            if domain.challenge, firstChallenger == nil { firstChallenger = domain }
            let extraction = extractCredentials(domain, request, viaProxy: viaProxy)
            guard case .credentials(let credentials) = extraction else {
                if case .none = extraction, !dynamic.anonymousAuthEnabled, domain.challenge, domain.authenticatorType == "basic" {
                    return .rejected(challengeResponse, audit: .failedLogin, attemptedUser: "<NONE>")
                }
                continue
            }
            anyCredentials = true
            attempted = credentials.username
            if state.listeners.contains(where: { !$0.isByAddress && $0.isBlocked(credentials.username, now: clock) }) { continue }
            guard var user = authenticateBackend(domain, credentials, state.configuration) else {
                for listener in state.listeners {
                    listener.recordFailure(listener.isByAddress ? address : credentials.username, now: clock)
                }
                continue
            }
            if isAdminPrincipal(user.name) {
                return .rejected(.text(403, "Cannot authenticate user because admin user is not permitted to login via HTTP"),
                                 audit: .failedLogin, attemptedUser: user.name)
            }
            authorizeBackends(&user, state.configuration)
            user.remoteAddress = address
            user.authenticatedBy = domain.name
            user.requestedTenant = request.header("securitytenant") ?? request.header("security_tenant")
            return impersonate(request, as: user, state) ?? .authenticated(resolveRoles(user))
        }
        // 7. Nobody succeeded.
        if dynamic.anonymousAuthEnabled, !anyCredentials, flavor == .openDistro || request.header("Authorization") == nil {
            let user = User(name: User.anonymousName, backendRoles: [User.anonymousBackendRole], remoteAddress: address)
            return .authenticated(resolveRoles(user))
        }
        if firstChallenger?.authenticatorType == "basic" {
            return .rejected(challengeResponse, audit: .failedLogin, attemptedUser: attempted)
        }
        return .rejected(finallyFailed, audit: .failedLogin, attemptedUser: attempted)
    }

    /// 8. `opendistro_security_impersonate_as` (reference §2.3; the plugin's
    /// `BackendRegistry.impersonate`): nil without the header. An admin DN can never be
    /// impersonated; otherwise `authcz.rest_impersonation_user.<caller>` must list a pattern
    /// matching the target, or the caller gets the plugin's 403. The target must then exist for
    /// one of the HTTP domains' backends, in chain order — in the internal users database, or
    /// under any name for `noop` (`NoOpAuthenticationBackend.exists` is always true) — and is
    /// authorized like a login (HTTP authz backends, role mapping); it becomes the effective user
    /// and the caller its initiating user. No backend knows it: 403 `No such user:<name>`.
    /// The plugin audits no refusal here; certlab records it as FAILED_LOGIN so the attempt shows.
    private func impersonate(_ request: AuthenticationRequest, as caller: User, _ state: State) -> AuthenticationOutcome? {
        guard let target = request.header("opendistro_security_impersonate_as"), !target.isEmpty else { return nil }
        func refused(_ reason: String) -> AuthenticationOutcome {
            .rejected(pluginError(403, reason), audit: .failedLogin, attemptedUser: caller.name)
        }
        if isAdminPrincipal(target) { return refused("It is not allowed to impersonate as an adminuser  '\(target)'") }
        let allowed = settings.restImpersonationUsers[caller.name].map { $0.map { WildcardMatcher($0) } } ?? []
        guard allowed.anyMatches(target) else { return refused("'\(caller.name)' is not allowed to impersonate as '\(target)'") }
        for domain in state.httpDomainChain {
            guard var user = existingUser(target, backend: domain.backendType, state.configuration) else { continue }
            authorizeBackends(&user, state.configuration)
            user.remoteAddress = caller.remoteAddress
            user.authenticatedBy = caller.authenticatedBy
            user.requestedTenant = caller.requestedTenant
            user.initiatingUser = caller.name
            return .authenticated(resolveRoles(user))
        }
        return refused("No such user:\(target)")
    }

    /// `AuthenticationBackend.exists` of a domain's backend: the user as that backend knows it.
    private func existingUser(_ name: String, backend: String?, _ configuration: SecurityConfiguration) -> User? {
        switch backend {
        case "noop":
            return User(name: name)
        case "intern", "internal":
            guard let entry = configuration.internalUsers[name] else { return nil }
            return internalUser(name, entry, extraBackendRoles: [])
        default:
            return nil
        }
    }

    /// An exception raised by the plugin's REST filter: the standard `security_exception` JSON on
    /// Open Distro, `{"error":{"status":"error","reason":...}}` on OpenSearch 2.x (reference §7).
    public func pluginError(_ status: Int, _ reason: String) -> SecurityResponse {
        switch flavor {
        case .openDistro: return .securityException(status, reason: reason)
        case .openSearch: return .json(status, ["error": ["status": "error", "reason": .string(reason)]])
        }
    }

    /// 401 `Unauthorized` with the flavor's realm (reference §2.4).
    var challengeResponse: SecurityResponse {
        .text(401, "Unauthorized", headers: ["WWW-Authenticate": flavor.basicChallenge])
    }

    /// First line as the plugin's exception (reference §7); the rest is our explanation.
    static let illegalParameterMessage = "Illegal parameter in http or transport request found.\nThis means that one node is trying to connect to another with \na non-node certificate (no OID or nodes_dn incorrect configured) or that someone \nis spoofing requests. Check your TLS certificate setup."

    private func extractCredentials(_ domain: DynamicConfig.AuthenticationDomain, _ request: AuthenticationRequest,
                                    viaProxy: Bool) -> CredentialExtraction {
        switch domain.authenticatorType {
        case "clientcert": return ClientCertAuthenticator(config: domain.authenticatorConfig).extract(principal: request.principal)
        case "basic": return BasicAuthenticator.extract(request, flavor: flavor)
        case "proxy", "extended-proxy":
            var config: [String: String] = [:]
            for (key, value) in domain.authenticatorConfig { config[key] = value.stringValue }
            return ProxyAuthenticator(config: config).extract(request, viaTrustedProxy: viaProxy)
        default:
            // jwt, kerberos, saml, openid: certlab has no authenticator for these, so the domain yields nothing.
            return .failed
        }
    }

    /// Authentication backends (reference §2.2, §2.5, §2.6): `noop` accepts the extracted
    /// credentials, `intern`/`internal` checks the internal users database with bcrypt.
    private func authenticateBackend(_ domain: DynamicConfig.AuthenticationDomain, _ credentials: AuthCredentials,
                                     _ configuration: SecurityConfiguration) -> User? {
        switch domain.backendType {
        case "noop":
            return User(name: credentials.username, backendRoles: credentials.backendRoles, attributes: credentials.attributes)
        case "intern", "internal":
            guard let entry = configuration.internalUsers[credentials.username],
                  let password = credentials.password, !password.isEmpty,
                  passwords.verify(user: credentials.username, password: password, hash: entry.hash, now: now())
            else { return nil }
            return internalUser(credentials.username, entry, extraBackendRoles: credentials.backendRoles)
        default:
            return nil
        }
    }

    /// A user of the internal users database: its backend roles, `attr.internal.*` attributes
    /// and directly assigned security roles.
    private func internalUser(_ name: String, _ entry: InternalUser, extraBackendRoles: [String]) -> User {
        var attributes: [String: String] = [:]
        for (key, value) in entry.attributes { attributes["attr.internal." + key] = value }
        return User(name: name, backendRoles: extraBackendRoles + entry.backendRoles, attributes: attributes,
                    directSecurityRoles: entry.securityRoles, isInternal: true)
    }

    /// HTTP-enabled authorization backends: `intern` adds the internal user's backend roles.
    private func authorizeBackends(_ user: inout User, _ configuration: SecurityConfiguration) {
        for domain in configuration.dynamic.authorizationDomains where domain.httpEnabled {
            guard domain.backendType == "intern" || domain.backendType == "internal", !user.isInternal,
                  let entry = configuration.internalUsers[user.name] else { continue }
            for role in entry.backendRoles where !user.backendRoles.contains(role) { user.backendRoles.append(role) }
        }
    }
}
