/// What an HTTP authenticator extracted from a request (reference §2.3, `AuthCredentials`).
struct AuthCredentials: Sendable {
    var username: String
    var password: String?
    var backendRoles: [String] = []
    var attributes: [String: String] = [:]
}

/// The outcome of `extractCredentials` for one domain.
enum CredentialExtraction {
    case none
    case credentials(AuthCredentials)
    /// The authenticator failed on this request (invalid DN, ...): skip the domain.
    case failed
}
