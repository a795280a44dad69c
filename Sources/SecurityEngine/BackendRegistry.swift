import Foundation
import JSONValue

/// The REST authentication flow (reference §2.3, `BackendRegistry.authenticate`).
extension SecurityService {
    /// Paths that skip authentication (reference §2.3): `OPTIONS`, `.../health`, and on
    /// OpenSearch also `.../whoami`, under either prefix.
    public func skipsAuthentication(method: String, path: String) -> Bool {
        if method == "OPTIONS" { return true }
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        var skipped = [Flavor.openDistro.restPrefix + "/health"]
        if flavor == .openSearch {
            skipped += [Flavor.openSearch.restPrefix + "/health", Flavor.openDistro.restPrefix + "/whoami", Flavor.openSearch.restPrefix + "/whoami"]
        }
        return skipped.contains(trimmed)
    }

    /// Authenticates one REST request; see reference §2.3 for the order of the steps.
    public func authenticate(_ request: AuthenticationRequest) -> AuthenticationOutcome {
        // Forbidden thread-context headers are rejected before anything else (reference §2.3, §7).
        if request.headers.contains(where: { $0.name.lowercased().hasPrefix("_opendistro_security_") }) {
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
            if let refused = refuseImpersonation(request, user: user) { return refused }
            return .authenticated(resolveRoles(user))
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

    /// 8. `opendistro_security_impersonate_as` (reference §2.3): certlab does not implement
    /// `authcz.rest_impersonation_user`, so no user may impersonate another and the header gets
    /// the plugin's refusal (403 `security_exception`) — it is never ignored, never trusted.
    /// The plugin writes no audit event here; certlab records the refusal as FAILED_LOGIN so
    /// the attempt is visible.
    private func refuseImpersonation(_ request: AuthenticationRequest, user: User) -> AuthenticationOutcome? {
        guard let target = request.header("opendistro_security_impersonate_as"), !target.isEmpty else { return nil }
        let reason = isAdminPrincipal(target)
            ? "It is not allowed to impersonate as an adminuser  '\(target)'"
            : "'\(user.name)' is not allowed to impersonate as '\(target)'"
        return .rejected(pluginError(403, reason), audit: .failedLogin, attemptedUser: user.name)
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
            var attributes: [String: String] = [:]
            for (key, value) in entry.attributes { attributes["attr.internal." + key] = value }
            return User(name: credentials.username, backendRoles: credentials.backendRoles + entry.backendRoles, attributes: attributes,
                        directSecurityRoles: entry.securityRoles, isInternal: true)
        default:
            return nil
        }
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
