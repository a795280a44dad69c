import Foundation
import JSONValue
import LabTestSupport
import Testing
@testable import NodeServer

/// Request bodies, paths and headers a hostile or broken client sends: each gets the exact
/// Elasticsearch / plugin error, nothing is stored, and the node keeps serving.
@Suite(.serialized) struct HostileInputTests {
    static func admin(_ lab: LabNode) async throws -> TLSProbe {
        try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"),
                                   identity: TLSProbe.Identity(certificate: lab.cert("admin"), key: lab.key("admin")))
    }

    /// One request on its own connection as the admin certificate (no privilege checks in the way).
    static func send(_ lab: LabNode, _ method: String, _ path: String, body: [UInt8] = [],
                     headers: [(String, String)] = [("Content-Type", "application/json")]) async throws -> TLSProbe.Response {
        let probe = try await admin(lab)
        let response = await probe.request(method, path, headers: headers, body: body)
        await probe.close()
        return try #require(response, "\(method) \(path): \(probe.errorText ?? "no response")")
    }

    static func error(_ type: String, _ reason: String, status: Int = 400, extra: String = "") -> String {
        let cause = #"{"type":"\#(type)","reason":\#(JSON.string(reason).serialized())\#(extra)}"#
        return #"{"error":{"root_cause":[\#(cause)],"type":"\#(type)","reason":\#(JSON.string(reason).serialized())\#(extra)},"status":\#(status)}"#
    }

    static func documentCount(_ lab: LabNode, _ index: String) async throws -> String {
        try await send(lab, "GET", "/\(index)/_count").body
    }

    @Test func malformedJSONDocumentIsRefusedAndNothingIsStored() async throws {
        try await LabNode.with { lab in
            #expect(try await Self.send(lab, "PUT", "/movies").status == 200)
            let response = try await Self.send(lab, "PUT", "/movies/_doc/1", body: Array(#"{"title": "x",}"#.utf8))
            #expect(response.status == 400)
            #expect(response.body == #"{"error":{"root_cause":[{"type":"mapper_parsing_exception","reason":"failed to parse"}],"type":"mapper_parsing_exception","reason":"failed to parse","caused_by":{"type":"json_parse_exception","reason":"Unexpected character ('}' (code 125)): was expecting double-quote to start field name\n at [Source: (org.elasticsearch.common.bytes.AbstractBytesReference$BytesReferenceStreamInput); line: 1, column: 16]"}},"status":400}"#)
            #expect(try await Self.documentCount(lab, "movies") == #"{"count":0,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}"#)
        }
    }

    @Test func malformedNDJSONBulkBodies() async throws {
        try await LabNode.with { lab in
            let cases: [(String, String)] = [
                (#"{"index":{"_index":"bulk","_id":"1"}}\#n{"a":1}"#,
                 Self.error("illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]")),
                (#"{"upsert":{"_index":"bulk","_id":"1"}}\#n{"a":1}\#n"#,
                 Self.error("illegal_argument_exception", "Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [upsert]")),
                (#""index"\#n{"a":1}\#n"#,
                 Self.error("illegal_argument_exception", "Malformed action/metadata line [1], expected START_OBJECT or END_OBJECT but found [VALUE_STRING]")),
                (#"{"index":{"_index":"bulk","_id":"1"}}\#n"#,
                 Self.error("illegal_argument_exception", "Malformed action/metadata line [1], expected a source line for [index] action")),
                ("\n", Self.error("action_request_validation_exception", "Validation Failed: 1: no requests added;")),
            ]
            for (body, expected) in cases {
                let response = try await Self.send(lab, "POST", "/_bulk", body: Array(body.utf8), headers: [("Content-Type", "application/x-ndjson")])
                #expect(response.status == 400, "\(body)")
                #expect(response.body == expected, "\(body)")
            }
            // A source line that is not JSON fails its item only: the bulk request's content type
            // (JSON) is used to parse it, so the cause is Jackson's json_parse_exception.
            let item = try await Self.send(lab, "POST", "/_bulk?filter_path=errors,items.*.status,items.*.error.type,items.*.error.caused_by.type",
                                           body: Array(#"{"index":{"_index":"bulk","_id":"1"}}\#nnot json\#n{"index":{"_index":"bulk","_id":"2"}}\#n{"a":1}\#n"#.utf8),
                                           headers: [("Content-Type", "application/x-ndjson")])
            #expect(item.status == 200)
            #expect(item.body == #"{"errors":true,"items":[{"index":{"status":400,"error":{"type":"mapper_parsing_exception","caused_by":{"type":"json_parse_exception"}}}},{"index":{"status":201}}]}"#)
            // Only the one good item of all those bodies was stored.
            #expect(try await Self.send(lab, "POST", "/bulk/_refresh").status == 200)
            #expect(try await Self.documentCount(lab, "bulk") == #"{"count":1,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}"#)
        }
    }

    /// 10,000 levels of nesting. Elasticsearch 7.10 would try to map 10,000 object levels and
    /// refuse at `index.mapping.depth.limit`; the reference is silent on the exact text, so
    /// certlab's bounded parser answers the document as unparsable JSON (mapper_parsing_exception
    /// caused by json_parse_exception, the shape of any syntax error) and a search body the same
    /// way a broken query body is answered — always a 400, never a stack overflow.
    @Test func tenThousandLevelsOfNestingAreRefusedWithoutRecursionBlowingTheStack() async throws {
        try await LabNode.with { lab in
            let depth = 10_000
            let document = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
            let indexed = try await Self.send(lab, "PUT", "/deep/_doc/1", body: Array(document.utf8))
            #expect(indexed.status == 400)
            #expect(indexed.body == #"{"error":{"root_cause":[{"type":"mapper_parsing_exception","reason":"failed to parse"}],"type":"mapper_parsing_exception","reason":"failed to parse","caused_by":{"type":"json_parse_exception","reason":"JSON nesting depth exceeds the limit of 512\n at [Source: (org.elasticsearch.common.bytes.AbstractBytesReference$BytesReferenceStreamInput); line: 1, column: 2561]"}},"status":400}"#)
            let query = #"{"query":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
            let searched = try await Self.send(lab, "POST", "/_search", body: Array(query.utf8))
            #expect(searched.status == 400)
            #expect(searched.body == Self.error("json_parse_exception", "JSON nesting depth exceeds the limit of 512\n at [Source: (org.elasticsearch.common.bytes.AbstractBytesReference$BytesReferenceStreamInput); line: 1, column: 521]",
                                                extra: #","line":1,"col":521"#))
            #expect(try await Self.send(lab, "GET", "/deep/_doc/1").status == 404)
            #expect(try await Self.send(lab, "GET", "/").status == 200)
        }
    }

    /// Bytes that are not UTF-8 inside a JSON string: Jackson's "Invalid UTF-8 start byte".
    @Test func invalidUTF8InADocumentIsRefused() async throws {
        try await LabNode.with { lab in
            let body: [UInt8] = Array(#"{"title":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
            let response = try await Self.send(lab, "PUT", "/utf/_doc/1", body: body)
            #expect(response.status == 400)
            #expect(response.body == #"{"error":{"root_cause":[{"type":"mapper_parsing_exception","reason":"failed to parse"}],"type":"mapper_parsing_exception","reason":"failed to parse","caused_by":{"type":"json_parse_exception","reason":"Invalid UTF-8 start byte 0xff\n at [Source: (org.elasticsearch.common.bytes.AbstractBytesReference$BytesReferenceStreamInput); line: 1, column: 11]"}},"status":400}"#)
            #expect(try await Self.send(lab, "GET", "/utf/_doc/1").status == 404)
        }
    }

    /// Elasticsearch 7.10's `validateIndexName` rules and texts, in its order (case last).
    @Test func badIndexNamesGetElasticsearchsExactBodies() async throws {
        try await LabNode.with { lab in
            let long = String(repeating: "A", count: 256)
            let cases: [(path: String, name: String, why: String)] = [
                ("/Movies", "Movies", "must be lowercase"),
                ("/_secret", "_secret", "must not start with '_', '-', or '+'"),
                ("/-dash", "-dash", "must not start with '_', '-', or '+'"),
                ("/a%2Ab", "a*b", #"must not contain the following characters [ , ", *, \, <, |, ,, >, /, ?]"#),
                ("/a%20b", "a b", #"must not contain the following characters [ , ", *, \, <, |, ,, >, /, ?]"#),
                ("/a%23b", "a#b", "must not contain '#'"),
                ("/a:b", "a:b", "must not contain ':'"),
                ("/..", "..", "must not be '.' or '..'"),
                ("/" + long, long, "index name is too long, (256 > 255)"),
            ]
            for (path, name, why) in cases {
                let response = try await Self.send(lab, "PUT", path)
                #expect(response.status == 400, "\(name)")
                #expect(response.body == Self.error("invalid_index_name_exception", "Invalid index name [\(name)], \(why)",
                                                    extra: #","index_uuid":"_na_","index":\#(JSON.string(name).serialized())"#), "\(name)")
            }
            #expect(try await Self.send(lab, "GET", "/_cat/indices?h=index").body == "")
        }
    }
}
