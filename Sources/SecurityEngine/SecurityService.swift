import Foundation
import JSONValue
import PKI
import Synchronization

/// The security layer of one node: holds the node settings and the currently loaded
/// configuration, and answers authentication, authorization and REST-API questions.
///
/// Thread-safe. The configuration is swapped atomically by ``install(_:)``; a swap recompiles
/// the privilege model and drops every per-user cache (issue 4: invalidate on config change).
/// A configuration that fails validation never reaches ``install(_:)``, so a broken file cannot
/// replace a good one.
public final class SecurityService: @unchecked Sendable {
    public let settings: NodeSettings
    public var flavor: Flavor { settings.flavor }
    let now: @Sendable () -> Date

    /// One installed configuration with everything derived from it. A class, so that the
    /// several reads of a request share it instead of copying (and retaining) every field.
    final class State: Sendable {
        let configuration: SecurityConfiguration
        let evaluator: PrivilegesEvaluator
        let xff: XFFResolver
        let listeners: [AuthFailureListener]
        /// `dynamic.httpDomainChain`, worked out once per configuration rather than per request.
        let httpDomainChain: [DynamicConfig.AuthenticationDomain]
        let version: Int

        init(configuration: SecurityConfiguration, evaluator: PrivilegesEvaluator, xff: XFFResolver,
             listeners: [AuthFailureListener], httpDomainChain: [DynamicConfig.AuthenticationDomain], version: Int) {
            self.configuration = configuration
            self.evaluator = evaluator
            self.xff = xff
            self.listeners = listeners
            self.httpDomainChain = httpDomainChain
            self.version = version
        }
    }

    private let lock = NSLock()
    private var state: State?
    private var userCache: [UserCacheKey: CachedPermissions] = [:]
    let passwords: PasswordVerifier

    public init(settings: NodeSettings, configuration: SecurityConfiguration? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.now = now
        self.passwords = PasswordVerifier(ttlMinutes: settings.cacheTTLMinutes)
        if let configuration { install(configuration) }
    }

    /// The loaded configuration; `nil` until initialised ("not initialized", reference §2.3).
    public var configuration: SecurityConfiguration? {
        lock.lock(); defer { lock.unlock() }
        return state?.configuration
    }

    /// The loaded `audit.yml` (nil until initialised): asked on every request, so it is read
    /// without copying the whole configuration.
    public var auditConfig: AuditConfig? {
        lock.lock(); defer { lock.unlock() }
        return state?.configuration.audit
    }

    /// Whether the installed `audit.yml` (the shipped defaults before initialisation) logs an
    /// event of `category` on `layer` for `user`. Asked twice for every request, so it looks in
    /// place: copying the configuration out retained and released each of its fields.
    public func auditLogs(_ category: AuditCategory, layer: AuditEvent.Layer, user: String?) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard let state else { return AuditConfig.shipped.isEnabled(category, layer: layer, user: user) }
        return state.configuration.audit.isEnabled(category, layer: layer, user: user)
    }

    /// Increments on every install; REST handlers use it for optimistic concurrency.
    public var configurationVersion: Int {
        lock.lock(); defer { lock.unlock() }
        return state?.version ?? 0
    }

    /// Makes `configuration` current and invalidates all caches.
    public func install(_ configuration: SecurityConfiguration) {
        let evaluator = PrivilegesEvaluator(configuration: configuration, resolution: settings.rolesMappingResolution)
        let listeners = configuration.dynamic.failureListeners.map(AuthFailureListener.init)
        lock.lock()
        state = State(configuration: configuration, evaluator: evaluator, xff: XFFResolver(configuration.dynamic),
                      listeners: listeners, httpDomainChain: configuration.dynamic.httpDomainChain,
                      version: (state?.version ?? 0) + 1)
        userCache.removeAll()
        lock.unlock()
        passwords.invalidate()
    }

    /// Loads a `securityconfig/` directory and installs it only if it is valid as a whole.
    @discardableResult
    public func load(directory: URL) throws(ConfigError) -> SecurityConfiguration {
        let configuration = try SecurityConfiguration(directory: directory, flavor: flavor)
        install(configuration)
        return configuration
    }

    func currentState() -> State? {
        lock.lock(); defer { lock.unlock() }
        return state
    }

    /// True when the TLS principal is one of `authcz.admin_dn` (LdapName equality, reference §1.7).
    /// Every request asks this (admin certificates bypass everything, and an admin DN may not log
    /// in over HTTP), and DN equality compares normalised attribute lists, so the verdict is
    /// remembered per principal string; `admin_dn` is a node setting and never changes at run time.
    public func isAdminPrincipal(_ principal: String?) -> Bool {
        guard let principal else { return false }
        if let known = adminVerdicts.withLock({ $0[ExactText(principal)] }) { return known }
        let verdict = PrincipalNames.parse(principal).map { settings.adminDNs.contains($0) } ?? false
        adminVerdicts.withLock { verdicts in
            if verdicts.count >= PrincipalNames.capacity { verdicts.removeAll(keepingCapacity: true) }
            verdicts[ExactText(principal)] = verdict
        }
        return verdict
    }

    /// Keyed by the principal's bytes, as the DN comparison is (`ExactText`).
    private let adminVerdicts = Mutex<[ExactText: Bool]>([:])

    // MARK: - Per-user permission cache

    /// Byte for byte (`hasSameBytes(as:)`): role mappings match user and backend role names
    /// by their bytes, so two spellings of a canonically equivalent name are two users.
    struct UserCacheKey: Hashable {
        var name: String
        var backendRoles: [String]
        var directRoles: [String]
        var attributes: [String: String]
        var remoteAddress: String?

        static func == (lhs: UserCacheKey, rhs: UserCacheKey) -> Bool {
            lhs.name.hasSameBytes(as: rhs.name) && lhs.backendRoles.hasSameBytes(as: rhs.backendRoles)
                && lhs.directRoles.hasSameBytes(as: rhs.directRoles) && lhs.attributes.hasSameBytes(as: rhs.attributes)
                && lhs.remoteAddress.hasSameBytes(as: rhs.remoteAddress)
        }

        func hash(into hasher: inout Hasher) {
            name.hashBytes(into: &hasher)
            for role in backendRoles { role.hashBytes(into: &hasher) }
            hasher.combine(0xFF as UInt8)
            for role in directRoles { role.hashBytes(into: &hasher) }
            attributes.hashBytes(into: &hasher)
            remoteAddress?.hashBytes(into: &hasher)
        }
    }

    /// The user's resolved permissions, computed once per distinct user and configuration.
    func permissions(for user: User) -> UserPermissions? {
        cachedPermissions(for: user)?.permissions
    }

    /// The cache entry for a user: permissions plus memoised decisions.
    func cachedPermissions(for user: User) -> CachedPermissions? {
        let key = UserCacheKey(name: user.name, backendRoles: user.backendRoles, directRoles: user.directSecurityRoles,
                               attributes: user.attributes, remoteAddress: user.remoteAddress)
        lock.lock()
        guard let state else { lock.unlock(); return nil }
        if let cached = userCache[key] { lock.unlock(); return cached }
        let version = state.version
        lock.unlock()
        let computed = CachedPermissions(state.evaluator.permissions(for: user))
        lock.lock()
        if self.state?.version == version {
            if userCache.count > 50_000 { userCache.removeAll() }
            userCache[key] = computed
        }
        lock.unlock()
        return computed
    }

    /// The user with `securityRoles` filled from role mapping (reference §2.7).
    public func resolveRoles(_ user: User) -> User {
        var resolved = user
        resolved.securityRoles = permissions(for: user)?.securityRoles ?? []
        return resolved
    }
}
