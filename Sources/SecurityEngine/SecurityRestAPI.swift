import Foundation
import JSONValue

/// The security plugin's REST API semantics (reference §6), storage-agnostic: the node maps
/// HTTP onto ``handle(_:user:)`` and writes the returned response.
///
/// Writes go store-first: the new configuration is validated as a whole, written to the store
/// with the version it was based on, and only then installed in the ``SecurityService``.
public final class SecurityRestAPI: Sendable {
    public let service: SecurityService
    public let store: any SecurityConfigStore
    var flavor: Flavor { service.flavor }
    /// Serialises read-modify-write cycles so two concurrent changes cannot lose one another.
    private let writeLock = NSLock()
    /// Uploads take the same lock as REST writes.
    var writeLockForUpload: NSLock { writeLock }
    var messages: ApiMessages { ApiMessages(flavor: flavor) }

    public init(service: SecurityService, store: any SecurityConfigStore) {
        self.service = service
        self.store = store
    }

    /// Startup: installs what the store holds; an empty store is initialised from `bootstrap`
    /// (the lab's `config/security/` directory) when given.
    public func start(bootstrap: SecurityConfiguration?) throws {
        if let stored = try store.load() {
            service.install(try stored.configuration(flavor: flavor))
        } else if let bootstrap {
            var documents: [ConfigType: JSON] = [:]
            for type in bootstrap.entries.keys { documents[type] = bootstrap.storedDocument(type) }
            _ = try store.replace(documents, expectedVersion: 0)
            service.install(bootstrap)
        }
    }

    /// Handles any path under `/_opendistro/_security` (and `/_plugins/_security` on OpenSearch).
    /// `user` is the authenticated caller (roles resolved); `nil` for unauthenticated endpoints.
    public func handle(_ request: SecurityAPIRequest, user: User?) -> SecurityResponse {
        guard let rest = stripPrefix(request.path) else { return messages.methodNotSupported(request.method) }
        let segments = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch segments.first {
        case "health": return health(request)
        case "whoami" where flavor == .openSearch: return whoami(request)
        case "authinfo":
            guard let user else { return .text(401, "Unauthorized") }
            return authinfo(request, user: user)
        case "api":
            guard let user else { return .text(401, "Unauthorized") }
            guard segments.count >= 2, let endpoint = SecurityAPIEndpoint(segment: segments[1]) else {
                return .status(400, "no handler found for uri [\(request.path)] and method [\(request.method)]")
            }
            let name = segments.count >= 3 ? segments[2...].joined(separator: "/") : ""
            return api(endpoint, name: name, request, user: user)
        default:
            return .status(400, "no handler found for uri [\(request.path)] and method [\(request.method)]")
        }
    }

    private func stripPrefix(_ path: String) -> String? {
        var prefixes = [Flavor.openDistro.restPrefix]
        if flavor == .openSearch { prefixes.append(Flavor.openSearch.restPrefix) }
        for prefix in prefixes where path == prefix || path.hasPrefix(prefix + "/") {
            return String(path.dropFirst(prefix.count))
        }
        return nil
    }

    private func api(_ endpoint: SecurityAPIEndpoint, name: String, _ request: SecurityAPIRequest, user: User) -> SecurityResponse {
        if let denied = checkAccess(endpoint, request, user: user) { return denied }
        if request.method != "GET" {
            writeLock.lock()
            defer { writeLock.unlock() }
            return dispatch(endpoint, name: name, request, user: user)
        }
        return dispatch(endpoint, name: name, request, user: user)
    }

    private func dispatch(_ endpoint: SecurityAPIEndpoint, name: String, _ request: SecurityAPIRequest, user: User) -> SecurityResponse {
        guard let configuration = service.configuration else {
            return .status(500, "Security index not initialized")
        }
        let superAdmin = user.isSuperAdmin
        switch endpoint {
        case .account:
            return account(request, user: user, configuration: configuration)
        case .config:
            return securityConfig(request, name: name, configuration: configuration, superAdmin: superAdmin)
        case .cache:
            // DELETE flushes the authentication/authorization caches (reference §6.1).
            guard request.method == "DELETE" else { return messages.methodNotSupported(request.method) }
            service.install(configuration)
            return .status(200, "Cache flushed successfully.")
        case .audit:
            guard request.method == "GET" else { return messages.methodNotSupported(request.method) }
            var body = JSONObject()
            body["_readonly"] = ["/audit/exclude_sensitive_headers", "/compliance/internal_config", "/compliance/external_config"]
            body["config"] = configuration.entries[.audit]?["config"] ?? .object(JSONObject())
            return .json(200, .object(body))
        default:
            let type = endpoint.configType
            guard configuration.entries[type] != nil else { return messages.typeAbsent(type, patch: request.method == "PATCH") }
            let context = ResourceContext(endpoint: endpoint, configuration: configuration, superAdmin: superAdmin)
            switch request.method {
            case "GET": return get(context, name: name)
            case "PUT": return put(context, name: name, request)
            case "DELETE": return delete(context, name: name)
            case "PATCH": return patch(context, name: name, request)
            default: return messages.methodNotSupported(request.method)
            }
        }
    }

    /// Who may call the API (reference §6.2): `ACCOUNT` always; otherwise a role listed in
    /// `restapi.roles_enabled` (minus `endpoints_disabled`), else the admin certificate.
    func checkAccess(_ endpoint: SecurityAPIEndpoint, _ request: SecurityAPIRequest, user: User) -> SecurityResponse? {
        if endpoint == .account { return nil }
        let settings = service.settings
        let roleReason: String
        let enabledRoles = user.securityRoles.filter { settings.restAPIRolesEnabled.contains($0) }
        let rolesText = "User \(user.name) with \(flavor.securityRolesWording) [\(user.securityRoles.joined(separator: ", "))]"
        if settings.restAPIRolesEnabled.isEmpty {
            roleReason = "Role based access not enabled."
        } else if enabledRoles.isEmpty {
            roleReason = "\(rolesText) does not have any role privileged for admin access"
        } else {
            let disabledForAll = enabledRoles.allSatisfy { role in
                let disabled = (settings.restAPIEndpointsDisabled[role]?[endpoint.rawValue] ?? [])
                    + (settings.restAPIEndpointsDisabled["global"]?[endpoint.rawValue] ?? [])
                return disabled.contains("*") || disabled.contains(request.method)
            }
            if !disabledForAll { return nil }
            roleReason = "\(rolesText) does not have any access to endpoint \(endpoint.rawValue) and method \(request.method)"
        }
        let certReason: String
        if !request.isTLS {
            certReason = "No ssl info found in request."
        } else if let principal = request.principal {
            if service.isAdminPrincipal(principal) { return nil }
            certReason = "Security admin permissions required but \(principal) is not an admin"
        } else {
            certReason = "No client TLS certificate found in request"
        }
        return .status(403, "No permission to access REST API: \(roleReason). \(certReason)")
    }

    /// Validates `entries` as the new content of `type`, stores it and installs the result.
    func commit(_ type: ConfigType, _ entries: JSONObject, configuration: SecurityConfiguration,
                success: SecurityResponse) -> SecurityResponse {
        let updated: SecurityConfiguration
        do {
            updated = try configuration.replacing(type, with: entries)
        } catch {
            return RequestBodyValidator.error(error.message)
        }
        do {
            let current = try store.load()?.version ?? 0
            _ = try store.replace([type: updated.storedDocument(type)!], expectedVersion: current)
        } catch {
            return messages.saveFailed("\(error)")
        }
        service.install(updated)
        return success
    }
}

/// What a resource operation needs to know.
struct ResourceContext {
    let endpoint: SecurityAPIEndpoint
    let configuration: SecurityConfiguration
    let superAdmin: Bool
    var type: ConfigType { endpoint.configType }
    var resource: String { endpoint.resourceName }
    var stored: JSONObject { configuration.entries[type] ?? JSONObject() }
}
