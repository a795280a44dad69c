import Foundation
import LabTestSupport
import PKI
import Testing

/// A certificate client that sends the same point read again on its keep-alive connection gets
/// the connection's last answer written again (`RepeatedAnswer`) — which must be exactly what a
/// full answer would be: the same bytes while nothing changed, and the full answer's verdict the
/// moment a write, a configuration change, a revocation or a failure-listener block happened;
/// every repeat counted in the metrics and, when its category is enabled, audited.
@Suite(.serialized) struct RepeatedAnswerTests {
    /// One keep-alive connection; each call sends one request and returns its response.
    final class Connection: @unchecked Sendable {
        let probe: TLSProbe
        private var methods: [String] = []

        init(_ lab: LabNode, as client: String) async throws {
            probe = try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"),
                                               identity: TLSProbe.Identity(certificate: lab.cert(client), key: lab.key(client)))
        }

        func get(_ target: String, headers: [String] = []) async -> TLSProbe.Response? {
            await send("GET", target, headers: headers)
        }

        func send(_ method: String, _ target: String, headers: [String] = []) async -> TLSProbe.Response? {
            methods.append(method)
            await probe.send(PipeliningTests.wire(method, target, headers: headers))
            return await probe.responses(to: methods, timeout: .seconds(10)).last ?? nil
        }
    }

    static let movie1 = #"{"_index":"movies","_type":"_doc","_id":"1","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{"title":"Moneyball"}}"#

    static func mapClient1(_ lab: LabNode) async throws {
        let mapped = try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#)
        #expect(mapped.status == 200 || mapped.status == 201, "\(mapped.body)")
    }

    /// A counter's value from `/_prometheus/metrics` (0 before its first increment).
    static func counted(_ lab: LabNode, _ series: String) async throws -> Int {
        let metrics = try await lab.curl("GET", "/_prometheus/metrics", as: "admin")
        #expect(metrics.status == 200)
        guard let line = metrics.body.split(separator: "\n").first(where: { $0.hasPrefix(series + " ") }) else { return 0 }
        return try #require(line.split(separator: " ").last.flatMap { Int($0) })
    }

    static let okGets = #"certlab_http_requests_total{method="GET",status="200"}"#
    static let repeats = "certlab_http_repeated_answers_total"

    @Test func repeatsGiveTheFullAnswerUntilSomethingChanges() async throws {
        try await LabNode.with { lab in
            try await PipeliningTests.seed(lab)
            try await Self.mapClient1(lab)
            let client = try await Connection(lab, as: "CLIENT1")
            let counted = try await Self.counted(lab, Self.okGets)
            for _ in 0..<5 {
                let response = await client.get("/movies/_doc/1")
                #expect(response?.status == 200 && response?.body == Self.movie1)
                #expect(response?.header("Content-Length") == String(Self.movie1.utf8.count) && response?.header("Date") != nil)
            }
            // Every request is counted (the first metrics request counts itself after answering);
            // all but the first were repeats.
            #expect(try await Self.counted(lab, Self.okGets) == counted + 1 + 5)
            #expect(try await Self.counted(lab, Self.repeats) == 4)

            // Another request on the connection, then the first again: each its own answer.
            for _ in 0..<2 {
                let head = await client.send("HEAD", "/movies/_doc/1")
                #expect(head?.status == 200 && head?.body == "" && head?.header("Content-Length") == "0", "as Elasticsearch answers HEAD of a document")
            }
            #expect(await client.get("/movies/_doc/1")?.body == Self.movie1)
            // A header the plugin forbids, on the same request line: refused, not replayed.
            let forbidden = await client.get("/movies/_doc/1", headers: ["_opendistro_security_user: admin"])
            #expect(forbidden?.status == 403, "\(String(describing: forbidden))")
            #expect(await client.get("/movies/_doc/1")?.body == Self.movie1)

            // A write on another connection is seen by the very next repeat.
            #expect(try await lab.curl("PUT", "/movies/_doc/1", as: "admin", body: #"{"title":"Ronin"}"#).status == 200)
            #expect(await client.get("/movies/_doc/1")?.body.contains(#""_version":2,"_seq_no":2,"_primary_term":1,"found":true,"_source":{"title":"Ronin"}"#) == true)
            // So is a role-mapping change.
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":[]}"#).status == 200)
            let refused = await client.get("/movies/_doc/1")
            #expect(refused?.status == 403 && refused?.body.contains("no permissions for [indices:data/read/get] and User [name=CLIENT1") == true)
            await client.probe.close()
        }
    }

    /// Two spellings of `é` (one code point; `e` + U+0301) are two documents, on one connection;
    /// and a header value spelled the other way is another request, never a repeat.
    @Test func aRequestIsRepeatedOnlyByTheSameBytes() async throws {
        try await LabNode.with { lab in
            try await Self.mapClient1(lab)
            for (id, spelling) in [("%C3%A9", "composed"), ("e%CC%81", "decomposed")] {
                #expect(try await lab.curl("PUT", "/movies/_doc/\(id)?refresh=true", as: "admin", body: #"{"v":"\#(spelling)"}"#).status == 201)
            }
            let client = try await Connection(lab, as: "CLIENT1")
            for _ in 0..<2 {
                #expect(await client.get("/movies/_doc/%C3%A9")?.body.hasSuffix(#""_source":{"v":"composed"}}"#) == true)
                #expect(await client.get("/movies/_doc/%C3%A9")?.body.hasSuffix(#""_source":{"v":"composed"}}"#) == true)
                #expect(await client.get("/movies/_doc/e%CC%81")?.body.hasSuffix(#""_source":{"v":"decomposed"}}"#) == true)
            }
            #expect(try await Self.counted(lab, Self.repeats) == 2)
            for note in ["\u{e9}", "e\u{301}", "\u{e9}", "e\u{301}"] {
                #expect(await client.get("/movies/_doc/%C3%A9", headers: ["X-Note: \(note)"])?.status == 200)
            }
            #expect(try await Self.counted(lab, Self.repeats) == 2, "no header spelled the other way was answered as a repeat")
            await client.probe.close()
        }
    }

    /// A repeat carries the current second's `Date`, as every answer does.
    @Test func theDateMovesOn() async throws {
        try await LabNode.with { lab in
            try await PipeliningTests.seed(lab)
            try await Self.mapClient1(lab)
            let client = try await Connection(lab, as: "CLIENT1")
            let first = await client.get("/movies/_doc/1")
            let second = await client.get("/movies/_doc/1")
            try await Task.sleep(for: .milliseconds(1_100))
            let later = await client.get("/movies/_doc/1")
            #expect(first?.body == Self.movie1 && second?.body == Self.movie1 && later?.body == Self.movie1)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            formatter.timeZone = TimeZone(identifier: "GMT")
            let dates = try [second, later].map { try #require($0?.header("Date").flatMap(formatter.date(from:))) }
            #expect(dates[1] > dates[0], "\(dates)")
            await client.probe.close()
        }
    }

    /// The CRL and the failure listeners change with no write and no configuration change; a
    /// repeat asks both again, as a full authentication does.
    @Test func aRevocationOrABlockAppliesToTheNextRepeat() async throws {
        // Audit events to a file: written into the node's own index, the failed logins' events
        // would be writes, and a write alone ends every kept answer.
        try await LabNode.with(adjust: { $0.settings.auditType = "log4j" }) { lab in
            try await PipeliningTests.seed(lab)
            try await Self.mapClient1(lab)
            // The lab's `ip_rate_limiting` listener blocks an address after 10 failed logins.
            let client = try await Connection(lab, as: "CLIENT1")
            for _ in 0..<3 { #expect(await client.get("/movies/_doc/1")?.status == 200) }
            for _ in 0..<10 {
                #expect(try await lab.curl("GET", "/movies/_doc/1", basic: "admin:wrong").status == 401)
            }
            let blocked = await client.get("/movies/_doc/1")
            #expect(blocked?.status == 401 && blocked?.body == "Authentication finally failed", "\(String(describing: blocked))")
            await client.probe.close()
        }
        try await LabNode.with { lab in
            try await PipeliningTests.seed(lab)
            try await Self.mapClient1(lab)
            let client = try await Connection(lab, as: "CLIENT1")
            for _ in 0..<3 { #expect(await client.get("/movies/_doc/1")?.status == 200) }
            try CertificateIssuance.revoke(name: "CLIENT1", serial: nil, reason: .keyCompromise,
                                           directory: CertificateDirectory(path: lab.directory.path("certs"), create: false))
            // The node looks at crl.pem at most once a second.
            var last: TLSProbe.Response?
            for _ in 0..<40 where last?.status != 403 {
                last = await client.get("/movies/_doc/1")
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(last?.status == 403 && last?.body.contains("Unable to validate certificate (CRL)") == true, "\(String(describing: last))")
            await client.probe.close()
        }
    }

    /// With GRANTED_PRIVILEGES enabled in `audit.yml`, each repeat is made and audited in full.
    @Test func everyRepeatIsAuditedWhenItsCategoryIsEnabled() async throws {
        let files = try LabFiles()
        let auditFile = files.directory.path("config/security/audit.yml")
        let shipped = try String(contentsOfFile: auditFile, encoding: .utf8)
        let enabled = shipped.replacingOccurrences(of: "disabled_rest_categories:\n      - AUTHENTICATED\n      - GRANTED_PRIVILEGES",
                                                   with: "disabled_rest_categories: []")
        try #require(enabled != shipped, "config/security/audit.yml disables AUTHENTICATED and GRANTED_PRIVILEGES for REST")
        try enabled.write(toFile: auditFile, atomically: true, encoding: .utf8)
        try await LabNode.with(files: files, adjust: { $0.settings.auditType = "log4j" }) { lab in
            try await PipeliningTests.seed(lab)
            try await Self.mapClient1(lab)
            let client = try await Connection(lab, as: "CLIENT1")
            for _ in 0..<4 { #expect(await client.get("/movies/_doc/1")?.status == 200) }
            let log = lab.directory.path("data/audit.log")
            func granted() -> Int {
                let lines = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n") ?? []
                return lines.filter { $0.contains(#""audit_category":"GRANTED_PRIVILEGES""#) && $0.contains(#""audit_request_effective_user":"CLIENT1""#) }.count
            }
            _ = await eventually(within: .seconds(10)) { granted() >= 4 }
            #expect(granted() == 4)
            await client.probe.close()
        }
    }

    /// Identical requests pipelined in one write: answered in order, all but the first repeats.
    @Test func pipelinedRepeatsKeepTheirOrder() async throws {
        try await LabNode.with { lab in
            try await PipeliningTests.seed(lab)
            try await Self.mapClient1(lab)
            let probe = try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"),
                                                   identity: TLSProbe.Identity(certificate: lab.cert("CLIENT1"), key: lab.key("CLIENT1")))
            let get = PipeliningTests.wire("GET", "/movies/_doc/1")
            await probe.send(String(repeating: get, count: 4) + PipeliningTests.wire("GET", "/movies/_doc/2") + get)
            let responses = await probe.responses(to: Array(repeating: "GET", count: 6))
            #expect(responses.map { $0?.status } == Array(repeating: 200, count: 6))
            #expect(responses[0..<4].allSatisfy { $0?.body == Self.movie1 } && responses[5]?.body == Self.movie1)
            #expect(responses[4]?.body.contains(#""title":"Heat""#) == true)
            #expect(try await Self.counted(lab, Self.repeats) == 3)
            await probe.close()
        }
    }

    /// Only `200` answers are kept: with nothing audited (audit disabled), a refused request
    /// repeated is refused in full each time — each refusal counted as a failure.
    @Test func refusalsAreNeverRepeats() async throws {
        let files = try LabFiles()
        let auditFile = files.directory.path("config/security/audit.yml")
        let shipped = try String(contentsOfFile: auditFile, encoding: .utf8)
        let disabled = shipped.replacingOccurrences(of: "config:\n  enabled: true", with: "config:\n  enabled: false")
        try #require(disabled != shipped, "config/security/audit.yml enables auditing")
        try disabled.write(toFile: auditFile, atomically: true, encoding: .utf8)
        try await LabNode.with(files: files) { lab in
            try await PipeliningTests.seed(lab)
            let client = try await Connection(lab, as: "CLIENT1")
            for _ in 0..<3 { #expect(await client.get("/movies/_doc/1")?.status == 403) }
            #expect(try await Self.counted(lab, #"certlab_auth_failures_total{reason="forbidden"}"#) == 3)
            #expect(try await Self.counted(lab, Self.repeats) == 0)
            await client.probe.close()
        }
    }

    /// A connection keeps its answer as long as it stays open, so large answers are not kept.
    @Test func largeAnswersAreNotKept() async throws {
        try await LabNode.with { lab in
            try await Self.mapClient1(lab)
            let text = String(repeating: "x", count: 70_000)
            #expect(try await lab.curl("PUT", "/movies/_doc/big?refresh=true", as: "admin", body: #"{"text":"\#(text)"}"#).status == 201)
            let client = try await Connection(lab, as: "CLIENT1")
            for _ in 0..<3 { #expect(await client.get("/movies/_doc/big")?.body.contains(text) == true) }
            #expect(try await Self.counted(lab, Self.repeats) == 0)
            await client.probe.close()
        }
    }
}
