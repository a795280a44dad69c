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
    func record(_ category: AuditCategory, _ facts: @autoclosure () -> RequestFacts, user: String?, isAdmin: Bool? = nil,
                privilege: String? = nil, indices: [String]? = nil) {
        let config = security.configuration?.audit ?? AuditConfig()
        guard config.isEnabled(category, layer: .rest, user: user) else { return }
        let request = facts()
        var event = AuditEvent(category: category, timestamp: Date(), nodeName: node.nodeName, nodeID: nodeID,
                               nodeHostAddress: hostAddress, nodeHostName: hostName, clusterName: node.clusterName)
        event.remoteAddress = request.remoteAddress
        event.effectiveUser = user
        event.initiatingUser = user
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
}
