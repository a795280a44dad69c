import Foundation
import SecurityEngine

/// Turns what happened to a REST request into an audit event (reference §9) when the loaded
/// `audit.yml` enables that category, and hands it to the `AuditLog`.
struct AuditRecorder: Sendable {
    let log: AuditLog
    let security: SecurityService
    let node: NodeIdentity
    let nodeID: String
    let hostAddress: String
    let hostName: String

    struct RequestFacts: Sendable {
        var method: String
        var path: String
        var parameters: [String: String]
        var headers: [(String, [String])]
        var body: [UInt8]
        var remoteAddress: String
    }

    /// `request` is only built when the category is enabled: most requests are GRANTED_PRIVILEGES
    /// or AUTHENTICATED, which the default `audit.yml` disables, and building the facts (header
    /// grouping, sorting) cost more than the rest of such a request's security checks.
    /// `initiatingUser` differs from `user` only under impersonation (`opendistro_security_impersonate_as`).
    func record(_ category: AuditCategory, _ facts: @autoclosure () -> RequestFacts, user: String?, initiatingUser: String? = nil,
                isAdmin: Bool? = nil, privilege: String? = nil, indices: [String]? = nil, exception: String? = nil) {
        guard security.auditLogs(category, layer: .rest, user: user) else { return }
        let config = security.auditConfig ?? .shipped
        let request = facts()
        var event = makeEvent(category)
        event.exceptionStacktrace = exception
        event.remoteAddress = request.remoteAddress
        event.effectiveUser = user
        event.initiatingUser = initiatingUser ?? user
        event.effectiveUserIsAdmin = isAdmin
        event.restPath = request.path
        event.restMethod = request.method
        event.restParameters = request.parameters.sorted { $0.key < $1.key }
        event.restHeaders = request.headers
        if config.logRequestBody, !request.body.isEmpty {
            event.requestBody = String(decoding: request.body.prefix(64 * 1024), as: UTF8.self)
        }
        event.privilege = privilege
        event.traceIndices = indices
        log.record(event)
    }

    /// `record` for a request made as `user` (nil before authentication): the effective user, the
    /// initiating user under impersonation, and whether it is the admin certificate.
    func record(_ category: AuditCategory, _ facts: @autoclosure () -> RequestFacts, by user: User?,
                privilege: String? = nil, indices: [String]? = nil) {
        record(category, facts(), user: user?.name, initiatingUser: user?.initiatingUser, isAdmin: user?.isSuperAdmin,
               privilege: privilege, indices: indices)
    }

    /// A TLS handshake that failed on the HTTP port (unknown CA, expired or wrongly used client
    /// certificate, plaintext on the TLS port, ...). The plugin's HTTP transport hands every such
    /// exception to `auditLog.logSSLException(null, cause)`: an SSL_EXCEPTION event with the peer
    /// address and the exception but no request, path or user (reference §9).
    func recordHandshakeFailure(remoteAddress: String?, reason: String) {
        guard security.auditLogs(.sslException, layer: .rest, user: nil) else { return }
        var event = makeEvent(.sslException)
        event.remoteAddress = remoteAddress
        event.exceptionStacktrace = reason
        log.record(event)
    }

    private func makeEvent(_ category: AuditCategory) -> AuditEvent {
        AuditEvent(category: category, timestamp: Date(), nodeName: node.nodeName, nodeID: nodeID,
                   nodeHostAddress: hostAddress, nodeHostName: hostName, clusterName: node.clusterName)
    }
}
