/// The result of a privilege check (reference §5, §7).
public enum AuthorizationDecision: Sendable, Equatable {
    case allowed
    /// `missing` in the order the plugin's message lists them; `reason` is the full
    /// `no permissions for [...] and User [...]` text.
    case denied(missing: [String], reason: String)

    public var isAllowed: Bool { self == .allowed }

    /// The 403 `security_exception` body for a denial (reference §7), `nil` when allowed.
    public var response: SecurityResponse? {
        guard case .denied(_, let reason) = self else { return nil }
        return .securityException(403, reason: reason)
    }

    static func deny(_ missing: [String], _ user: User) -> AuthorizationDecision {
        .denied(missing: missing, reason: "no permissions for [\(missing.joined(separator: ", "))] and \(user.description)")
    }
}
