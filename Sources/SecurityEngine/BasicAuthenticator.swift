import Foundation

/// The `basic` HTTP authenticator (reference §2.4, `HTTPBasicAuthenticator` + `HTTPHelper`).
struct BasicAuthenticator: Sendable {
    /// Header parsing as the plugin does it: scheme test `trim().toLowerCase().startsWith("basic ")`,
    /// token = second space-separated part, UTF-8 after base64, user = text before the first `:`.
    /// No colon or an empty user → no credentials. `force_login=true` ignores the header (ODFE).
    static func extract(_ request: AuthenticationRequest, flavor: Flavor) -> CredentialExtraction {
        if flavor == .openDistro, request.queryParameters["force_login"] == "true" { return .none }
        guard let header = request.header("Authorization") else { return .none }
        guard header.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("basic ") else { return .none }
        let parts = header.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return .none }
        guard let data = Data(base64Encoded: String(parts[1])), let decoded = String(data: data, encoding: .utf8) else { return .none }
        guard let colon = decoded.firstIndex(of: ":") else { return .none }
        let username = String(decoded[..<colon])
        guard !username.isEmpty else { return .none }
        return .credentials(AuthCredentials(username: username, password: String(decoded[decoded.index(after: colon)...])))
    }
}
