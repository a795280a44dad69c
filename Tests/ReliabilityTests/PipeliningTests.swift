import Foundation
import LabTestSupport
import Testing

/// The node answers a request in one of two ways: point reads (`GET`/`HEAD` of a document,
/// `GET /`, cluster health) on the connection's event loop (`InlineRequestHandler`), everything
/// else through Hummingbird's async responder. A client must not be able to tell which: the
/// bytes are the same, HTTP/1.1 pipelining keeps request order across the two, and
/// `Connection: close` is honoured by both.
@Suite(.serialized) struct PipeliningTests {
    static func admin(_ lab: LabNode) async throws -> TLSProbe {
        try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"),
                                   identity: TLSProbe.Identity(certificate: lab.cert("admin"), key: lab.key("admin")))
    }

    /// One request as sent on the wire; a body gets its `Content-Length`.
    static func wire(_ method: String, _ path: String, headers: [String] = [], body: String? = nil) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n"
        for header in headers { text += header + "\r\n" }
        if let body { text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        return text + "\r\n" + (body ?? "")
    }

    static func seed(_ lab: LabNode) async throws {
        for (id, title) in [("1", "Moneyball"), ("2", "Heat")] {
            #expect(try await lab.curl("PUT", "/movies/_doc/\(id)?refresh=true", as: "admin", body: #"{"title":"\#(title)"}"#).status == 201)
        }
    }

    @Test func pipelinedRequestsComeBackInRequestOrder() async throws {
        try await LabNode.with { lab in
            try await Self.seed(lab)
            let probe = try await Self.admin(lab)
            // Inline, async (a search), inline requests queued behind it, a HEAD, a miss, GET /.
            let requests: [(method: String, wire: String)] = [
                ("GET", Self.wire("GET", "/movies/_doc/1")),
                ("POST", Self.wire("POST", "/movies/_search", body: #"{"query":{"match":{"title":"heat"}}}"#)),
                ("GET", Self.wire("GET", "/movies/_doc/2")),
                ("HEAD", Self.wire("HEAD", "/movies/_doc/1")),
                ("GET", Self.wire("GET", "/movies/_doc/404")),
                ("GET", Self.wire("GET", "/movies/_doc/1?_source=false")),
            ]
            await probe.send(requests.map(\.wire).joined())
            let responses = await probe.responses(to: requests.map(\.method))
            #expect(responses.map { $0?.status } == [200, 200, 200, 200, 404, 200])
            #expect(responses[0]?.body.contains(#""_id":"1""#) == true && responses[0]?.body.contains("Moneyball") == true)
            #expect(responses[1]?.body.contains(#""hits":{"total":{"value":1,"relation":"eq"}"#) == true, "\(responses[1]?.body ?? "")")
            #expect(responses[2]?.body.contains(#""_id":"2""#) == true && responses[2]?.body.contains("Heat") == true)
            #expect(responses[3]?.header("Content-Length") == "0", "HEAD of a document answers an empty body, as Elasticsearch does")
            #expect(responses[4]?.body == #"{"_index":"movies","_type":"_doc","_id":"404","found":false}"#)
            #expect(responses[5]?.body == #"{"_index":"movies","_type":"_doc","_id":"1","_version":1,"_seq_no":0,"_primary_term":1,"found":true}"#)
            #expect(!probe.isClosed)
            await probe.close()
        }
    }

    /// `HEAD` answers from both ways, each followed by answers from the other, on one keep-alive
    /// connection: every answer after a `HEAD` still carries its body. (Inline answers skip NIO's
    /// response encoder; if it still paired responses with the methods of decoded requests, the
    /// search after the inline `HEAD` would lose its body and the stream would lose its framing.)
    @Test func headAnswersFromEitherWayLeaveTheNextBodiesIntact() async throws {
        try await LabNode.with { lab in
            try await Self.seed(lab)
            let probe = try await Self.admin(lab)
            let requests: [(method: String, wire: String)] = [
                ("HEAD", Self.wire("HEAD", "/movies/_doc/1")),
                ("POST", Self.wire("POST", "/movies/_search", body: #"{"query":{"match":{"title":"heat"}}}"#)),
                ("HEAD", Self.wire("HEAD", "/movies")),
                ("GET", Self.wire("GET", "/movies/_doc/2")),
                ("HEAD", Self.wire("HEAD", "/movies/_doc/1")),
                ("GET", Self.wire("GET", "/movies/_count")),
            ]
            // One at a time, so each answer is written before the next request arrives.
            for (sent, (method, wire)) in requests.enumerated() {
                await probe.send(wire)
                let response = await probe.responses(to: requests[...sent].map(\.method))[sent]
                switch method {
                case "HEAD":
                    #expect(response?.status == 200 && response?.body == "", "\(wire): \(String(describing: response))")
                default:
                    #expect(response?.status == 200, "\(wire): \(String(describing: response))")
                }
            }
            await probe.close()
            // What follows each head's blank line: after a HEAD answer, straight the next status line.
            let afterHeads = probe.receivedText.components(separatedBy: "\r\n\r\n").dropFirst().map { String($0.prefix(48)) }
            #expect(afterHeads.count == 6, "\(afterHeads)")
            guard afterHeads.count == 6 else { return }
            #expect(afterHeads[0].hasPrefix("HTTP/1.1 200 OK\r\n"), "\(afterHeads)")
            #expect(afterHeads[1].hasPrefix(#"{"took":"#), "the search after an inline HEAD keeps its body: \(afterHeads)")
            #expect(afterHeads[2].hasPrefix("HTTP/1.1 200 OK\r\n"), "\(afterHeads)")
            #expect(afterHeads[3].hasPrefix(#"{"_index":"movies","_type":"_doc","_id":"2""#), "\(afterHeads)")
            #expect(afterHeads[4].hasPrefix("HTTP/1.1 200 OK\r\n"), "\(afterHeads)")
            #expect(afterHeads[5].hasPrefix(#"{"count":2,"#), "\(afterHeads)")
        }
    }

    /// A `GET` with a body goes through Hummingbird; without one it is answered inline. The two
    /// answers — status, every header in order, body — are identical, for a hit, a miss, a
    /// missing index, a denied user, `?pretty` with `filter_path`, `GET /` and cluster health.
    @Test func bothWaysGiveTheSameBytes() async throws {
        try await LabNode.with { lab in
            try await Self.seed(lab)
            let cases: [(client: String, path: String)] = [
                ("admin", "/movies/_doc/1"), ("admin", "/movies/_doc/9"), ("admin", "/nope/_doc/1"),
                ("admin", "/movies/_doc/1?pretty&filter_path=_source"), ("admin", "/"), ("admin", "/_cluster/health"),
                ("CLIENT1", "/movies/_doc/1"),
            ]
            for (client, path) in cases {
                let inline = try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"),
                                                        identity: TLSProbe.Identity(certificate: lab.cert(client), key: lab.key(client)))
                let async = try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"),
                                                       identity: TLSProbe.Identity(certificate: lab.cert(client), key: lab.key(client)))
                let fast = await inline.request("GET", path)
                let slow = await async.request("GET", path, headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
                // Both carry a Date header; Hummingbird's is refreshed by a one-second timer and may
                // lag the event loop's by a second, so only its presence is compared.
                func undated(_ response: TLSProbe.Response?) -> TLSProbe.Response? {
                    response.map { TLSProbe.Response(status: $0.status, headers: $0.headers.map { $0.name == "Date" ? ($0.name, "") : $0 }, body: $0.body) }
                }
                #expect(fast?.header("Date") != nil && slow?.header("Date") != nil)
                #expect(fast != nil && undated(fast) == undated(slow), "\(client) \(path): \(String(describing: fast)) vs \(String(describing: slow))")
                await inline.close()
                await async.close()
            }
        }
    }

    /// `Connection: close` on an inline request: the response is written, then the node closes.
    @Test func connectionCloseIsHonouredInline() async throws {
        try await LabNode.with { lab in
            try await Self.seed(lab)
            let probe = try await Self.admin(lab)
            await probe.send(Self.wire("GET", "/movies/_doc/1", headers: ["Connection: close"]) + Self.wire("GET", "/movies/_doc/2"))
            let response = await probe.response(timeout: .seconds(10))
            #expect(response?.status == 200 && response?.body.contains("Moneyball") == true)
            #expect(response?.header("Connection") == "close", "the response confirms the close, as Elasticsearch's does")
            #expect(await probe.waitForClose(timeout: .seconds(5)))
            #expect(probe.receivedText.components(separatedBy: "HTTP/1.1 ").count == 2, "one response only: \(probe.receivedText)")
            // The same through Hummingbird (a search).
            let async = try await Self.admin(lab)
            await async.send(Self.wire("POST", "/movies/_search", headers: ["Connection: close"], body: "{}"))
            let searched = await async.response(timeout: .seconds(10))
            #expect(searched?.status == 200 && searched?.header("Connection") == "close")
            #expect(await async.waitForClose(timeout: .seconds(5)))
        }
    }

    /// Point reads are answered from `PointReadCache` while nothing is written, and only after
    /// the security checks: a write on another connection is seen by the very next read (no
    /// refresh), a delete too, and a user without read permissions is refused a cached document.
    @Test func cachedPointReadsNeverOutliveAWriteOrSkipSecurity() async throws {
        try await LabNode.with { lab in
            try await Self.seed(lab)
            let probe = try await Self.admin(lab)
            // One keep-alive connection: each answer is the last of all received on it.
            var sent = 0
            func get(_ path: String) async -> TLSProbe.Response? {
                sent += 1
                await probe.send(Self.wire("GET", path))
                return await probe.responses(to: Array(repeating: "GET", count: sent)).last ?? nil
            }
            for _ in 0..<3 {
                #expect(await get("/movies/_doc/1")?.body
                    == #"{"_index":"movies","_type":"_doc","_id":"1","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{"title":"Moneyball"}}"#)
            }
            #expect(try await lab.curl("PUT", "/movies/_doc/1", as: "admin", body: #"{"title":"Ronin"}"#).status == 200)
            #expect(await get("/movies/_doc/1")?.body
                == #"{"_index":"movies","_type":"_doc","_id":"1","_version":2,"_seq_no":2,"_primary_term":1,"found":true,"_source":{"title":"Ronin"}}"#)
            #expect(try await lab.curl("DELETE", "/movies/_doc/1", as: "admin").status == 200)
            let deleted = await get("/movies/_doc/1")
            #expect(deleted?.status == 404 && deleted?.body == #"{"_index":"movies","_type":"_doc","_id":"1","found":false}"#)
            #expect(await get("/movies/_doc/2")?.status == 200)
            let refused = try await lab.curl("GET", "/movies/_doc/2", as: "CLIENT1")
            #expect(refused.status == 403 && refused.body.contains("no permissions for [indices:data/read/get]"), "\(refused.body)")
            await probe.close()
        }
    }

    /// A certificate connection keeps its authentication and its last route decision between
    /// requests; neither outlives a role-mapping change: the same keep-alive connection is
    /// refused, let in once CLIENT1 is mapped to `readall`, and refused again once it is not.
    @Test func aKeptRouteDecisionFollowsRoleMappingChanges() async throws {
        try await LabNode.with { lab in
            try await Self.seed(lab)
            let probe = try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"),
                                                   identity: TLSProbe.Identity(certificate: lab.cert("CLIENT1"), key: lab.key("CLIENT1")))
            var sent = 0
            func get(_ path: String) async -> TLSProbe.Response? {
                sent += 1
                await probe.send(Self.wire("GET", path))
                return await probe.responses(to: Array(repeating: "GET", count: sent)).last ?? nil
            }
            func mapReadall(_ users: String) async throws {
                let mapped = try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":[\#(users)]}"#)
                #expect(mapped.status == 200 || mapped.status == 201, "\(mapped.body)")
            }
            for _ in 0..<2 {
                let refused = await get("/movies/_doc/1")
                #expect(refused?.status == 403 && refused?.body.contains("no permissions for [indices:data/read/get] and User [name=CLIENT1") == true)
            }
            try await mapReadall(#""CLIENT1""#)
            for _ in 0..<2 { #expect(await get("/movies/_doc/1")?.status == 200) }
            #expect(await get("/movies/_doc/2")?.body.contains(#""title":"Heat""#) == true)
            try await mapReadall("")
            #expect(await get("/movies/_doc/1")?.status == 403)
            await probe.close()
        }
    }

    /// `Expect: 100-continue` (curl sends it for bodies over 1 MB): the node answers `100
    /// Continue` before the body is sent, then the request's own response; a declared length
    /// over `http.max_content_length` gets the 413 and no invitation to send it.
    @Test func expectContinueIsAnsweredBeforeTheBody() async throws {
        try await LabNode.with { lab in
            let body = (0..<50).map { #"{"create":{"_id":"\#($0)"}}"# + "\n" + #"{"n":\#($0)}"# + "\n" }.joined()
            let probe = try await Self.admin(lab)
            await probe.send("POST /logs/_bulk HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                + "Expect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
            let interim = await probe.response(timeout: .seconds(5))
            #expect(interim == TLSProbe.Response(status: 100, headers: [], body: ""), "\(probe.receivedText)")
            await probe.send(body)
            let answers = await probe.responses(to: ["POST", "POST"])
            #expect(answers[1]?.status == 200)
            #expect(answers[1]?.body.contains(#""errors":false"#) == true)
            #expect(try await lab.curl("GET", "/logs/_count", as: "admin").body == #"{"count":50,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}"#)
            await probe.close()

            let oversized = try await Self.admin(lab)
            await oversized.send("POST /logs/_bulk HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                + "Expect: 100-continue\r\nContent-Length: \(200 * 1024 * 1024)\r\n\r\n")
            let refused = await oversized.response(timeout: .seconds(5))
            #expect(refused?.status == 413, "\(oversized.receivedText)")
            #expect(await oversized.waitForClose(timeout: .seconds(5)))
        }
    }
}
