import JSONValue

/// The `clientcert` HTTP authenticator (reference §2.6, `HTTPClientCertAuthenticator`).
///
/// The username is the first value of `username_attribute` in the principal (string order), or
/// the whole principal when the key or the attribute is missing; `roles_attribute` turns every
/// matching value into a backend role. No principal → no credentials; it never challenges.
struct ClientCertAuthenticator: Sendable {
    let usernameAttribute: String?
    let rolesAttribute: String?
    /// OS-HEAD `skip_users`: DN patterns for which the authenticator steps aside.
    let skipUsers: [WildcardMatcher]

    init(config: JSONObject) {
        usernameAttribute = config["username_attribute"]?.stringValue
        rolesAttribute = config["roles_attribute"]?.stringValue
        skipUsers = (config["skip_users"]?.arrayValue ?? []).compactMap { $0.stringValue }.map { WildcardMatcher($0) }
    }

    /// An empty principal (a certificate with an empty subject, e.g. SAN-only) counts as no
    /// certificate (`Strings.isNullOrEmpty(principal)` in the plugin). An empty user name (an
    /// empty `CN=` value) fails the domain, as the plugin's `AuthCredentials` constructor throws
    /// "username must not be null or empty" and `BackendRegistry` skips to the next domain.
    func extract(principal: String?) -> CredentialExtraction {
        guard let principal, !principal.isEmpty else { return .none }
        // Principals rarely have surrounding blanks: Foundation's trimming (per request) runs only
        // when an end is whitespace (`isWhitespace` covers every character `.whitespaces` does).
        let padded = principal.first?.isWhitespace == true || principal.last?.isWhitespace == true
        let trimmed = padded ? principal.trimmingCharacters(in: .whitespaces) : principal
        if skipUsers.anyMatches(trimmed) { return .none }
        guard let name = PrincipalNames.parse(trimmed) else { return .failed }
        var username = trimmed
        if let usernameAttribute, let first = name.values(of: usernameAttribute).first {
            username = first
        }
        guard !username.isEmpty else { return .failed }
        let roles = rolesAttribute.map { name.values(of: $0) } ?? []
        return .credentials(AuthCredentials(username: username, password: nil, backendRoles: roles))
    }
}
