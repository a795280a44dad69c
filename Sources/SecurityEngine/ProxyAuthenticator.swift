import Foundation

/// The `proxy` HTTP authenticator (reference §2.1 shipped `proxy_auth_domain`): user and roles
/// come from headers, but only when the request arrived through a trusted proxy (XFF enabled
/// and the peer matches `internalProxies`).
struct ProxyAuthenticator: Sendable {
    let userHeader: String
    let rolesHeader: String?

    init(config: [String: String]) {
        userHeader = config["user_header"] ?? "x-proxy-user"
        rolesHeader = config["roles_header"]
    }

    func extract(_ request: AuthenticationRequest, viaTrustedProxy: Bool) -> CredentialExtraction {
        guard viaTrustedProxy, let user = request.header(userHeader), !user.isEmpty else { return .none }
        var roles: [String] = []
        if let rolesHeader, let value = request.header(rolesHeader) {
            roles = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return .credentials(AuthCredentials(username: user, backendRoles: roles))
    }
}
