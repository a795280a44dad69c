import Foundation
import JSONValue
import NIOCore
import NIOPosix
import SearchEngine
import SecurityDashboard
import SecurityEngine

/// One REST request from TLS principal to response (ARCHITECTURE.md "Data flow of one request"):
/// route → action names → authenticate → authorize → `SearchEngine` → response + audit event.
///
/// Order follows the plugin's REST filter (reference §2.3, §1.5): unknown routes are answered
/// without authentication, as Elasticsearch answers them before any handler (and so before the
/// security wrapper) runs; a revoked client certificate is refused before authentication;
/// forbidden `_opendistro_security_*` headers are refused first of all by `authenticate`.
/// The security dashboard's static files (`/_dashboards/...`) are served without authentication,
/// like Kibana's login page; the page's data calls come back through here as REST API requests.
///
/// A class: every connection's handler and every request's closures hold it, and a shared
/// reference is one retain where a copy of the struct it was retained each of its fields.
final class RequestPipeline: Sendable {
    let security: SecurityService
    let securityAPI: SecurityRestAPI
    let elastic: ElasticAPI
    let audit: AuditRecorder
    let metrics: NodeMetrics
    let revocation: RevocationChecker?
    let certificates: NodeCertificates?
    let pointReads = PointReadCache()

    init(security: SecurityService, securityAPI: SecurityRestAPI, elastic: ElasticAPI, audit: AuditRecorder,
         metrics: NodeMetrics, revocation: RevocationChecker?, certificates: NodeCertificates?) {
        self.security = security
        self.securityAPI = securityAPI
        self.elastic = elastic
        self.audit = audit
        self.metrics = metrics
        self.revocation = revocation
        self.certificates = certificates
    }

    struct Incoming: Sendable {
        var request: ElasticRequest
        var headers: [(name: String, value: String)]
        var identity: PeerIdentity
        var remoteAddress: String
        var remotePort: Int

        var facts: AuditRecorder.RequestFacts {
            AuditRecorder.RequestFacts(method: request.method, path: request.path, parameters: request.parameters,
                                       headers: Dictionary(grouping: headers, by: \.name).map { ($0.key, $0.value.map(\.value)) }
                                           .sorted { $0.0 < $1.0 },
                                       body: request.body, remoteAddress: remoteAddress)
        }
    }

    func process(_ incoming: Incoming) async -> NodeResponse {
        let request = incoming.request
        let action: RestAction
        switch route(incoming) {
        case .answered(let response): return response
        case .action(let routed): action = routed
        }
        var user: User?
        if !security.skipsAuthentication(method: request.method, path: request.path) {
            switch admit(incoming, await authenticate(incoming)) {
            case .failure(let refusal): return refusal.response
            case .success(let authenticated): user = authenticated
            }
        }
        if case .securityPlugin = action.check {
            return await securityEndpoint(incoming, user: user)
        }
        guard let user else { return render(elastic.noHandler(request)) }
        return await authorizedElastic(incoming, action: action, user: user)
    }

    /// The routes `processInline` answers: point reads that cost microseconds (a document by id,
    /// `GET /`, cluster health), which would spend most of their time hopping between threads.
    static func answersInline(_ action: RestAction) -> Bool {
        guard action.actions.count == 1 else { return false }
        switch action.actions[0] {
        case "indices:data/read/get", "cluster:monitor/main", "cluster:monitor/health": return true
        default: return false
        }
    }

    /// `process` for a request that can be answered without suspending, run on the connection's
    /// event loop by `InlineRequestHandler`; nil for every other request, which then takes
    /// `process`. Same steps, same audit events and metrics — only the thread differs:
    /// certificate (not password) authentication, a route `answersInline` accepts, no body. `memo` is the
    /// connection's `AuthenticationMemo`; answers come from `pointReads` while nothing is written,
    /// with the cache entry (`kept`) whose shared encoding a keep-alive answer can use.
    func processInline(_ incoming: Incoming, memo: inout AuthenticationMemo?) -> (response: NodeResponse, kept: PointReadCache.Entry?)? {
        let request = incoming.request
        guard request.body.isEmpty, !Self.hasAuthorizationHeader(incoming),
              !security.skipsAuthentication(method: request.method, path: request.path),
              !SecurityDashboard.handles(path: request.path),
              let action = RestActionTable.lookup(method: request.method, segments: request.segments),
              Self.answersInline(action), !HealthWait.mayWait(request) else { return nil }
        if let refused = refusedRevoked(incoming) { return (refused, nil) }
        switch admit(incoming, security.authenticate(authenticationRequest(incoming), memo: &memo)) {
        case .failure(let refusal):
            return (refusal.response, nil)
        case .success(let user):
            if let denied = deniedActions(incoming, action: action, user: user, memo: memo) { return (denied, nil) }
            recordGranted(incoming, action: action, user: user)
            let elastic = self.elastic
            let answer = pointReads.answer(to: request, engine: elastic.engine) {
                do {
                    return try elastic.handle(request)
                } catch {
                    return render(error)
                }
            }
            return (answer.response, answer.entry)
        }
    }

    private enum Routed {
        case answered(NodeResponse)
        case action(RestAction)
    }

    /// The steps before authentication: the dashboard's files, unknown routes, revoked certificates.
    private func route(_ incoming: Incoming) -> Routed {
        let request = incoming.request
        if SecurityDashboard.handles(path: request.path) {
            return .answered(refusedRevoked(incoming) ?? dashboard(incoming))
        }
        guard let action = RestActionTable.lookup(method: request.method, segments: request.segments) else {
            return .answered(render(elastic.noHandler(request)))
        }
        // Open Distro registers only `/_opendistro/_security`; `/_plugins/...` is Elasticsearch's
        // "no handler" there (OpenSearch serves both prefixes).
        if case .securityPlugin = action.check, request.segments.first == "_plugins", security.flavor != .openSearch {
            return .answered(render(elastic.noHandler(request)))
        }
        if let refused = refusedRevoked(incoming) { return .answered(refused) }
        return .action(action)
    }

    struct Refusal: Error {
        var response: NodeResponse
    }

    /// Audits and counts the outcome of authentication; the user, or the response refusing them.
    private func admit(_ incoming: Incoming, _ outcome: AuthenticationOutcome) -> Result<User, Refusal> {
        switch outcome {
        case .authenticated(let user):
            audit.record(.authenticated, incoming.facts, by: user)
            return .success(user)
        case .rejected(let response, let category, let attempted):
            audit.record(category, incoming.facts, user: attempted)
            metrics.authenticationFailed(reason: response.status == 503 ? "not_initialized" : response.status == 403 ? "bad_headers" : "unauthenticated")
            return .failure(Refusal(response: NodeResponse(security: response)))
        }
    }

    /// What an inline answer depends on besides the request, the connection and the time: the
    /// installed security configuration and the data (`RepeatedAnswer`). nil when no answer may
    /// be kept (see `SecurityService.decisionBasis`).
    struct AnswerBasis: Equatable {
        var security: SecurityService.DecisionBasis
        var generation: UInt64
    }

    func answerBasis() -> AnswerBasis? {
        // The generation is read first, as `PointReadCache` reads it before producing an answer.
        let generation = elastic.engine.writeGeneration
        return security.decisionBasis.map { AnswerBasis(security: $0, generation: generation) }
    }

    /// Whether the connection's client certificate is on the CRL now.
    func isRevoked(_ identity: PeerIdentity) -> Bool {
        guard let serial = identity.serialNumber, let revocation else { return false }
        return revocation.isRevoked(serial: serial)
    }

    /// A client certificate on the CRL is refused before anything else is served (reference §1.5).
    private func refusedRevoked(_ incoming: Incoming) -> NodeResponse? {
        guard isRevoked(incoming.identity) else { return nil }
        // Like `logSSLException(request, t)`: the request's path, headers and body, the
        // exception, and no effective user (authentication has not run yet).
        audit.record(.sslException, incoming.facts, user: nil,
                     exception: "javax.net.ssl.SSLPeerUnverifiedException: Unable to validate certificate (CRL)")
        metrics.authenticationFailed(reason: "revoked")
        return revokedResponse()
    }

    /// Basic credentials cost a bcrypt verification (~230 ms at cost 12) when not cached, which
    /// must not run on the cooperative pool or an event loop: such requests authenticate on the
    /// blocking thread pool; certificate-only requests stay inline.
    private func authenticate(_ incoming: Incoming) async -> AuthenticationOutcome {
        let request = authenticationRequest(incoming)
        guard Self.hasAuthorizationHeader(incoming) else {
            return security.authenticate(request)
        }
        let security = self.security
        return (try? await NIOThreadPool.singleton.runIfActive { security.authenticate(request) })
            ?? .rejected(.text(500, "authentication could not run"), audit: .failedLogin, attemptedUser: "<NONE>")
    }

    private func authenticationRequest(_ incoming: Incoming) -> AuthenticationRequest {
        AuthenticationRequest(method: incoming.request.method, path: incoming.request.path,
                              principal: incoming.identity.principal,
                              peerCertificateCount: incoming.identity.hasCertificate ? 1 : 0,
                              headers: incoming.headers, remoteAddress: incoming.remoteAddress,
                              queryParameters: incoming.request.parameters)
    }

    private static func hasAuthorizationHeader(_ incoming: Incoming) -> Bool {
        incoming.headers.contains { HeaderName.equal($0.name, "authorization") }
    }

    private func securityEndpoint(_ incoming: Incoming, user: User?) async -> NodeResponse {
        let request = incoming.request
        if let response = certificates?.handle(request, user: user, identity: incoming.identity, flavor: security.flavor) {
            return response
        }
        if ConfigUploadEndpoint.matches(request) {
            let endpoint = ConfigUploadEndpoint(api: securityAPI)
            let response = (try? await NIOThreadPool.singleton.runIfActive { endpoint.handle(request, user: user) })
                ?? .json(["status": "INTERNAL_SERVER_ERROR", "message": "configuration upload could not run"], status: 500)
            audit.record(response.status == 403 ? .missingPrivileges : .grantedPrivileges, incoming.facts, by: user,
                         privilege: "cluster:admin/opendistro_security/config/update")
            return response
        }
        let apiRequest = SecurityAPIRequest(
            method: request.method, path: request.path, queryParameters: request.parameters,
            body: request.body.isEmpty ? nil : request.body,
            contentType: incoming.headers.first { HeaderName.equal($0.name, "content-type") }?.value,
            isTLS: true, principal: incoming.identity.principal,
            peerCertificateCount: incoming.identity.hasCertificate ? 1 : 0,
            remoteAddressWithPort: "\(incoming.remoteAddress):\(incoming.remotePort)")
        let securityAPI = self.securityAPI
        let response = (try? await NIOThreadPool.singleton.runIfActive { securityAPI.handle(apiRequest, user: user) })
            ?? .text(500, "security API could not run")
        if response.status == 403 {
            audit.record(.missingPrivileges, incoming.facts, by: user)
        }
        return NodeResponse(security: response)
    }

    /// Checks the route's actions (reference §5) and runs the request.
    private func authorizedElastic(_ incoming: Incoming, action: RestAction, user: User) async -> NodeResponse {
        let request = incoming.request
        var prepared: PreparedBody?
        do {
            switch action.check {
            case .actions, .singleDocumentWrite, .securityPlugin:
                if let denied = deniedActions(incoming, action: action, user: user) { return denied }
            case .bulk:
                let defaultIndex = request.segments.count == 2 ? request.segments[0] : nil
                let bulk = try BulkRequest.parse(request.body, defaultIndex: defaultIndex)
                let items = bulk.items.map { SecurityEngine.BulkItem(SecurityEngine.BulkItem.Operation(rawValue: $0.action.rawValue)!, index: $0.index) }
                let decisions = security.authorizeBulk(user, items: items)
                if let denied = denied(decisions.request, incoming, user: user, privilege: "indices:data/write/bulk", indices: bulk.indices) { return denied }
                var rejections: [Int: ElasticsearchError] = [:]
                for (position, decision) in decisions.items.enumerated() {
                    guard let response = decision.response else { continue }
                    rejections[position] = Self.itemRefusal(response)
                    audit.record(.missingPrivileges, incoming.facts, by: user, privilege: items[position].action,
                                 indices: [items[position].index])
                }
                prepared = .bulk(bulk, rejections: rejections)
            case .multiSearch:
                if let denied = deniedActions(incoming, action: action, user: user) { return denied }
                prepared = try checkedMultiSearch(incoming, user: user)
            case .reindex:
                if let denied = deniedActions(incoming, action: action, user: user) { return denied }
                switch try checkedReindex(incoming, user: user) {
                case .success(let checked): prepared = checked
                case .failure(let refusal): return refusal.response
                }
            }
        } catch {
            return render(error)
        }
        recordGranted(incoming, action: action, user: user)
        if action.actions == ["cluster:monitor/health"], request.segments.first == "_cluster" {
            return await waitedHealth(request)
        }
        if request.segments == ["_prometheus", "metrics"] {
            return NodeResponse(body: .bytes(metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8"))
        }
        let elastic = self.elastic
        let body = prepared
        let name = user.name
        do {
            let response = try await NIOThreadPool.singleton.runIfActive { () throws(ElasticsearchError) -> NodeResponse in
                try elastic.handle(request, prepared: body, user: name)
            }
            if case .bulk(let bulk, _) = body, case .json(let body) = response.body { recordBulkMetrics(body, count: bulk.items.count) }
            return response
        } catch let error as ElasticsearchError {
            return render(error)
        } catch {
            return render(ElasticsearchError(status: 500, type: "exception", reason: "\(error)"))
        }
    }

    /// The route's actions checked in order (reference §5); the 403 when one is not granted.
    private func deniedActions(_ incoming: Incoming, action: RestAction, user: User) -> NodeResponse? {
        deniedActions(incoming, action: action, user: user, memo: nil)
    }

    /// `memo`: the connection's memo as `authenticate(_:memo:)` just left it, so when present
    /// it holds `user` and may hold the connection's last route decision.
    private func deniedActions(_ incoming: Incoming, action: RestAction, user: User, memo: AuthenticationMemo?) -> NodeResponse? {
        let existing = elastic.engine.indexNames
        let decision = if let memo {
            security.authorize(route: action, existingIndices: existing, memo: memo)
        } else {
            security.authorize(user, route: action, existingIndices: existing)
        }
        return denied(decision, incoming, user: user, privilege: action.actions.first ?? "", indices: action.indices)
    }

    private func recordGranted(_ incoming: Incoming, action: RestAction, user: User) {
        audit.record(.grantedPrivileges, incoming.facts, by: user, privilege: action.actions.first, indices: action.indices)
    }

    func denied(_ decision: AuthorizationDecision, _ incoming: Incoming, user: User, privilege: String, indices: [String]) -> NodeResponse? {
        guard let response = decision.response else { return nil }
        audit.record(decision.isSecurityIndexAttempt ? .securityIndexAttempt : .missingPrivileges, incoming.facts, by: user, privilege: privilege, indices: indices)
        metrics.authenticationFailed(reason: "forbidden")
        return NodeResponse(security: response)
    }

    private func recordBulkMetrics(_ body: JSON, count: Int) {
        guard let items = body["items"]?.arrayValue else { return }
        var results: [String: Int] = [:]
        for item in items {
            let result = item.objectValue?.first?.value["result"]?.stringValue ?? "failed"
            results[result, default: 0] += 1
        }
        for (result, number) in results { metrics.bulkItems(number, result: result) }
    }

    /// A refused part of a composite request (a bulk item, a search of `_msearch`, the writes
    /// of `_reindex`), as it is reported in that request's answer.
    static func itemRefusal(_ response: SecurityResponse) -> ElasticsearchError {
        ElasticsearchError(status: 403, type: "security_exception", reason: reason(of: response))
    }

    /// The reason text inside a security response body (the 403 JSON of reference §7).
    static func reason(of response: SecurityResponse) -> String {
        (try? JSON(parsing: response.body))?["error"]?["reason"]?.stringValue ?? response.bodyText
    }

    /// A client certificate on the CRL (reference §1.5): 403 with the exception as the body,
    /// as Elasticsearch renders a non-Elasticsearch exception (class name in snake case) for
    /// Open Distro, and OpenSearch 2.x's `{"error":{"status":"error","reason":...}}`.
    private func revokedResponse() -> NodeResponse {
        let reason = "Unable to validate certificate (CRL)"
        switch security.flavor {
        case .openDistro:
            let cause: JSON = ["type": "s_s_l_peer_unverified_exception", "reason": .string(reason)]
            return .json(["error": ["root_cause": [cause], "type": "s_s_l_peer_unverified_exception", "reason": .string(reason)],
                          "status": 403], status: 403)
        case .openSearch:
            return .json(["error": ["status": "error", "reason": .string(reason)]], status: 403)
        }
    }

    func render(_ error: any Error) -> NodeResponse {
        let error = error as? ElasticsearchError ?? ElasticsearchError(status: 500, type: "exception", reason: "\(error)")
        return .json(error.body, status: error.status)
    }
}

extension NodeResponse {
    init(security response: SecurityResponse) {
        self.init(status: response.status, body: .bytes(response.body, contentType: response.contentType),
                  headers: response.headers.map { ($0.key, $0.value) })
    }
}
