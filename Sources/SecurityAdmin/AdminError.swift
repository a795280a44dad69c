/// Why a `security-admin` run failed, worded like securityadmin's `ERR:` lines (reference §8)
/// so that users can search for them, plus the location of configuration problems.
public enum AdminError: Error, Sendable, CustomStringConvertible {
    /// Bad command line or local setup (missing file, unknown type).
    case usage(String)
    /// A configuration file failed validation; nothing was sent.
    case invalidConfig(file: String, detail: String)
    /// No answer from the node: refused, unresolvable, timed out, TLS failure.
    case unreachable(endpoint: String, reason: String)
    /// The node answered but refused the certificate as admin (HTTP 403).
    case notAdmin(message: String, principal: String?, settingsPrefix: String)
    /// Any other unexpected answer of the node.
    case node(status: Int, message: String)

    public var description: String {
        switch self {
        case .usage(let message):
            return "ERR: \(message)"
        case .invalidConfig(let file, let detail):
            return "ERR: Seems \(file) is not in Security 7 format: \(detail)"
        case .unreachable(let endpoint, let reason):
            var text = "ERR: Seems there is no Elasticsearch running on \(endpoint) - Will exit\n       reason: \(reason)"
            if reason.contains("TLS") || reason.contains("certificate") || reason.contains("handshake") {
                text += "\n       Check that -cacert is the CA that signed the node's certificate; use -nhnv to disable host name verification"
            }
            return text
        case .notAdmin(let message, let principal, let prefix):
            var lines = ["ERR: \(message)"]
            if let principal {
                lines.append("Seems you use a client certificate but this one is not registered as admin_dn")
                lines.append("Make sure the node's settings (elasticsearch.yml) contain:")
                lines.append("  \(prefix)authcz.admin_dn:")
                lines.append("    - \"\(principal)\"")
            } else {
                lines.append("Seems you did not present a client certificate; use -cert and -key with a certificate listed in \(prefix)authcz.admin_dn")
            }
            return lines.joined(separator: "\n")
        case .node(let status, let message):
            return "ERR: the node answered HTTP \(status): \(message)"
        }
    }
}
