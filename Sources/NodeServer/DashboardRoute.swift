import SecurityDashboard
import SecurityEngine

/// `/_dashboards/security/` on the node's HTTPS port (issue #10): the page's files answered by
/// `SecurityDashboard`, before any authentication, as Kibana serves its login page. No data
/// is reachable this way: besides the files there is only `connection.json`, which tells the
/// page whether this connection presented a client certificate (its principal DN).
extension RequestPipeline {
    func dashboard(_ incoming: Incoming) -> NodeResponse {
        let ifNoneMatch = incoming.headers.first { HeaderName.equal($0.name, "if-none-match") }?.value
        let answer = SecurityDashboard.respond(method: incoming.request.method, path: incoming.request.path, ifNoneMatch: ifNoneMatch,
                                               principal: incoming.identity.principal)
        let body: NodeResponse.Body = answer.contentType.map { .bytes(answer.body, contentType: $0) } ?? .empty
        return NodeResponse(status: answer.status, body: body, headers: answer.headers)
    }
}
