import Foundation
import JSONValue
import Testing
@testable import SearchEngine

/// `_msearch` (`MultiSearchRequest`): NDJSON pairs, per-entry answers and failures, and the
/// request-level errors of Elasticsearch 7.10.
@Suite struct MultiSearchTests {
    func parse(_ lines: [String], defaultIndex: String? = nil) throws(ElasticsearchError) -> MultiSearchRequest {
        try MultiSearchRequest.parse(Array((lines.joined(separator: "\n") + "\n").utf8), defaultIndex: defaultIndex)
    }

    @Test func eachSearchAnswersInItsPlace() throws {
        let engine = try SearchEngine.withMovies()
        let request = try parse([
            #"{"index":"movies"}"#, #"{"query":{"term":{"genre.keyword":"drama"}},"sort":["year"],"_source":false}"#,
            #"{"index":["nope"]}"#, #"{}"#,
            "", #"{"size":0,"aggs":{"years":{"max":{"field":"year"}}}}"#,
            #"{"index":"movies","ignore_unavailable":true}"#, "",
        ], defaultIndex: "movies")
        #expect(request.items.map(\.indices) == ["movies", "nope", "movies", "movies"])
        let body = engine.multiSearch(request).body
        let responses = body["responses"]?.arrayValue ?? []
        #expect(body.objectValue?.keys.map { $0 } == ["took", "responses"])
        #expect(responses.count == 4)
        #expect(responses[0]["status"] == 200)
        #expect(ids(responses[0]) == ["2", "4"])
        #expect(responses[0].objectValue?.keys.map { $0 } == ["took", "timed_out", "_shards", "hits", "status"])
        #expect(responses[1] == json(#"{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [nope]","resource.type":"index_or_alias","resource.id":"nope","index_uuid":"_na_","index":"nope"}],"type":"index_not_found_exception","reason":"no such index [nope]","resource.type":"index_or_alias","resource.id":"nope","index_uuid":"_na_","index":"nope"},"status":404}"#))
        #expect(responses[2]["aggregations"]?["years"]?["value"] == 2020.0)
        #expect(responses[3]["hits"]?["total"]?["value"] == 5)
    }

    @Test func refusedSearchesFailAlone() throws {
        let engine = try SearchEngine.withMovies()
        let request = try parse([#"{"index":"movies"}"#, "{}", #"{"index":"movies"}"#, "{}"])
        let refusal = ElasticsearchError(status: 403, type: "security_exception", reason: "no permissions for [indices:data/read/search]")
        let responses = engine.multiSearch(request, rejections: [0: refusal]).body["responses"]?.arrayValue ?? []
        #expect(responses[0] == json(#"{"error":{"root_cause":[{"type":"security_exception","reason":"no permissions for [indices:data/read/search]"}],"type":"security_exception","reason":"no permissions for [indices:data/read/search]"},"status":403}"#))
        #expect(responses[1]["status"] == 200)
    }

    @Test func malformedBodiesFailTheWholeRequest() throws {
        #expect(throws: ElasticsearchError.illegalArgument("The msearch request must be terminated by a newline [\\n]")) {
            try MultiSearchRequest.parse(Array(#"{"index":"movies"}"#.utf8 + [10] + Array("{}".utf8)), defaultIndex: nil)
        }
        #expect(throws: ElasticsearchError.actionValidation(["no requests added"])) { try MultiSearchRequest.parse([], defaultIndex: nil) }
        #expect(throws: ElasticsearchError.actionValidation(["no requests added"])) { try self.parse([#"{"index":"movies"}"#]) }
        #expect(throws: ElasticsearchError.illegalArgument("key [size] is not supported in the metadata section")) {
            try self.parse([#"{"index":"movies","size":3}"#, "{}"])
        }
        #expect(throws: ElasticsearchError.parsing("Unknown key for a VALUE_NUMBER_INT in [sizes].")) { try self.parse(["{}", #"{"sizes":3}"#]) }
        #expect(throws: ElasticsearchError.unknownQuery("nope")) { try self.parse(["{}", #"{"query":{"nope":{}}}"#]) }
        do {
            _ = try parse(["{}", #"{"query":"#])
            Issue.record("a truncated body parsed")
        } catch {
            #expect(error.status == 400)
            #expect(error.type == "json_parse_exception")
            #expect(error.metadata["line"] == 1)
        }
    }
}
