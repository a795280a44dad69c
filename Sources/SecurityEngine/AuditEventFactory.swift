import Foundation

/// Builds REST-layer audit events with the node's identity filled in (reference §9), so the
/// node only decides *when* to log and where to write.
extension SecurityService {
    /// An event for `category`, or `nil` when `audit.yml` disables it for this user.
    public func restAuditEvent(_ category: AuditCategory, request: AuthenticationRequest, user: String?, isAdmin: Bool = false,
                               privilege: String? = nil, indices: [String]? = nil, body: String? = nil,
                               nodeID: String = "", hostName: String = "localhost") -> AuditEvent? {
        let audit = configuration?.audit ?? AuditConfig()
        guard settings.auditType != nil, audit.isEnabled(category, layer: .rest, user: user) else { return nil }
        var event = AuditEvent(category: category, timestamp: now(), nodeName: settings.nodeName, nodeID: nodeID,
                               nodeHostAddress: settings.networkHost, nodeHostName: hostName, clusterName: settings.clusterName)
        event.remoteAddress = request.remoteAddress
        event.effectiveUser = user ?? "<NONE>"
        event.effectiveUserIsAdmin = isAdmin
        event.restPath = request.path
        event.restMethod = request.method
        event.restParameters = request.queryParameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var headers: [(String, [String])] = []
        for (name, value) in request.headers {
            if let position = headers.firstIndex(where: { $0.0 == name }) { headers[position].1.append(value) } else { headers.append((name, [value])) }
        }
        event.restHeaders = headers
        event.requestBody = audit.logRequestBody ? body : nil
        event.privilege = privilege
        event.traceIndices = indices
        return event
    }
}
