import Foundation
import Hummingbird
import HummingbirdTLS
import NIOSSL
import JSONValue
import Logging
import Synchronization
import Testing

/// A stand-in for the search node, enough for the shipper's output: `GET /` and `_bulk` with
/// `create` semantics (an existing `_id` is a 409), plus knobs to make it misbehave (413 above a
/// size, whole-request 503s, per-item statuses chosen by message).
final class FakeNode: Sendable {
    struct RecordedRequest: Sendable {
        var method: String
        var uri: String
        var headers: [String: String]
        var body: String
    }

    struct State {
        var documents: [String: JSON] = [:]
        var order: [String] = []
        var requests: [RecordedRequest] = []
        var maxItemsPerRequest = Int.max
        var failingRequests = 0
        var rootStatus = 200
        /// Forced status for an item by its message, given how often that message was seen.
        var itemRule: @Sendable (String, Int) -> Int? = { _, _ in nil }
        var attempts: [String: Int] = [:]
    }

    let state = Mutex(State())
    let version: String

    init(version: String = "7.10.2") { self.version = version }

    var documents: [JSON] { state.withLock { state in state.order.map { state.documents[$0]! } } }
    var bulkRequests: [RecordedRequest] { state.withLock { $0.requests.filter { $0.uri.contains("_bulk") } } }
    var messages: [String] { documents.compactMap { $0["message"]?.stringValue } }

    func configure(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    /// Runs the node on a free loopback port for the duration of `body`.
    func serve<T>(tls: TLSConfiguration? = nil, _ body: (Int) async throws -> T) async throws -> T {
        let router = Router()
        router.get("/") { request, _ in self.root(request) }
        router.post("/_bulk") { request, _ in
            let bytes = try await request.body.collect(upTo: 256 << 20)
            return self.bulk(request, body: String(buffer: bytes))
        }
        let port = Mutex<Int?>(nil)
        let app = Application(router: router, server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
                              logger: Logger(label: "fake-node", factory: { _ in SwiftLogNoOpLogHandler() }))
        let server = Task { try await app.run() }
        defer { server.cancel() }
        var bound: Int?
        for _ in 0 ..< 500 where bound == nil {
            try await Task.sleep(for: .milliseconds(10))
            bound = port.withLock { $0 }
        }
        let result = try await body(try #require(bound))
        // A connection the body opened just before returning (`test output` dials a bare TCP
        // connection first) may still be in the accept queue; cancelling the server while NIO
        // activates it trips NIOAsyncWriter's "deinited without finish()" trap, so let it settle.
        try await Task.sleep(for: .milliseconds(200))
        server.cancel()
        _ = await server.result
        return result
    }

    private func record(_ request: Request, body: String) {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.rawName] = field.value }
        let recorded = RecordedRequest(method: request.method.rawValue, uri: request.uri.description, headers: headers, body: body)
        state.withLock { $0.requests.append(recorded) }
    }

    private func json(_ status: HTTPResponse.Status, _ value: JSON) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=UTF-8"],
                 body: .init(byteBuffer: ByteBuffer(string: value.serialized())))
    }

    private func root(_ request: Request) -> Response {
        record(request, body: "")
        let status = state.withLock { $0.rootStatus }
        guard status == 200 else { return json(.init(code: status), ["error": "unavailable"]) }
        return json(.ok, ["name": "fake", "cluster_name": "certlab", "version": ["number": .string(version), "distribution": "opensearch"],
                          "tagline": "The OpenSearch Project: https://opensearch.org/"])
    }

    private func bulk(_ request: Request, body: String) -> Response {
        record(request, body: body)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: true)
        let refusal = state.withLock { state -> HTTPResponse.Status? in
            if state.failingRequests > 0 {
                state.failingRequests -= 1
                return .serviceUnavailable
            }
            return lines.count / 2 > state.maxItemsPerRequest ? .contentTooLarge : nil
        }
        if let refusal { return json(refusal, ["error": .string(refusal.reasonPhrase)]) }
        var items: [JSON] = []
        var errors = false
        for index in stride(from: 0, to: lines.count - 1, by: 2) {
            guard let action = try? JSON(parsing: String(lines[index])), let document = try? JSON(parsing: String(lines[index + 1])),
                  let meta = action["create"], let id = meta["_id"]?.stringValue else {
                items.append(["create": ["status": 400, "error": ["type": "parse_exception", "reason": "bad line"]]])
                errors = true
                continue
            }
            let message = document["message"]?.stringValue ?? ""
            let status: Int = state.withLock { state in
                let attempt = state.attempts[message, default: 0]
                state.attempts[message] = attempt + 1
                if let forced = state.itemRule(message, attempt) { return forced }
                if state.documents[id] != nil { return 409 }
                state.documents[id] = document
                state.order.append(id)
                return 201
            }
            var result: JSONObject = ["_index": meta["_index"] ?? .null, "_id": .string(id), "status": .int(Int64(status))]
            if status >= 300 {
                errors = true
                result["error"] = status == 409
                    ? ["type": "version_conflict_engine_exception", "reason": .string("[\(id)]: version conflict, document already exists (current version [1])")]
                    : ["type": status == 429 ? "es_rejected_execution_exception" : "mapper_parsing_exception", "reason": .string("forced \(status)")]
            }
            items.append(["create": .object(result)])
        }
        return json(.ok, ["took": 1, "errors": .bool(errors), "items": .array(items)])
    }
}
