/// The result of ``SecurityService/authenticate(_:)``.
public enum AuthenticationOutcome: Sendable {
    /// The user, with security roles already resolved.
    case authenticated(User)
    /// A response to send as is, with the audit category to record and the user name that was
    /// tried (`<NONE>` when no credentials were found; reference §9).
    case rejected(SecurityResponse, audit: AuditCategory, attemptedUser: String)

    public var user: User? {
        if case .authenticated(let user) = self { return user }
        return nil
    }

    public var response: SecurityResponse? {
        if case .rejected(let response, _, _) = self { return response }
        return nil
    }
}
