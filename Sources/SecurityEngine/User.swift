/// An authenticated user as the plugin's `User` class models it (reference §2.3–§2.7, §7).
public struct User: Sendable, Hashable {
    public var name: String
    public var backendRoles: [String]
    /// Custom attributes (`attr.internal.k`, proxy/JWT attributes), used by placeholders.
    public var attributes: [String: String]
    /// Security roles assigned directly (internal users' `opendistro_security_roles`).
    public var directSecurityRoles: [String]
    /// Security roles after role mapping (reference §2.7); filled by the engine.
    public var securityRoles: [String]
    /// True for the admin certificate (super-admin): bypasses all privilege checks (reference §5).
    public var isSuperAdmin: Bool
    /// From the `securitytenant` / `security_tenant` header.
    public var requestedTenant: String?
    /// The caller's resolved address (after XFF), used for `hosts` mappings.
    public var remoteAddress: String?
    /// Name of the auth domain that authenticated the user (`nil` for admin cert / anonymous).
    public var authenticatedBy: String?
    /// Whether the user comes from the internal users database (REST `account`).
    public var isInternal: Bool
    /// The authenticated caller when this user is impersonated through
    /// `opendistro_security_impersonate_as` (the audit log's initiating user); nil otherwise.
    public var initiatingUser: String?

    public init(name: String, backendRoles: [String] = [], attributes: [String: String] = [:], directSecurityRoles: [String] = [],
                securityRoles: [String] = [], isSuperAdmin: Bool = false, requestedTenant: String? = nil,
                remoteAddress: String? = nil, authenticatedBy: String? = nil, isInternal: Bool = false) {
        self.name = name
        self.backendRoles = backendRoles
        self.attributes = attributes
        self.directSecurityRoles = directSecurityRoles
        self.securityRoles = securityRoles
        self.isSuperAdmin = isSuperAdmin
        self.requestedTenant = requestedTenant
        self.remoteAddress = remoteAddress
        self.authenticatedBy = authenticatedBy
        self.isInternal = isInternal
    }

    /// The anonymous user (reference §2.3 step 7).
    public static let anonymousName = "opendistro_security_anonymous"
    public static let anonymousBackendRole = "opendistro_security_anonymous_backendrole"

    /// `User.toString()` as used in 403 reasons and authinfo (reference §7):
    /// `User [name=x, backend_roles=[a, b], requestedTenant=null]`.
    public var description: String {
        "User [name=\(name), backend_roles=[\(backendRoles.joined(separator: ", "))], requestedTenant=\(requestedTenant ?? "null")]"
    }
}
