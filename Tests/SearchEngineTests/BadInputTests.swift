import Testing
import JSONValue
@testable import SearchEngine

/// Malformed bodies, unknown DSL, hostile nesting: each gets a 400 naming the problem.
@Suite struct BadInputTests {
    @Test func malformedJSONSaysWhere() throws {
        let error = #expect(throws: ElasticsearchError.self) { try SearchEngine.parseBody(Array("{\n  \"query\": {\"match_all\": {}\n".utf8)) }
        #expect(error?.status == 400)
        #expect(error?.type == "json_parse_exception")
        #expect(error?.metadata["line"] == 3)
        #expect(error?.reason.contains("line: 3, column: 1]") == true)
        let trailing = #expect(throws: ElasticsearchError.self) { try SearchEngine.parseBody(Array(#"{"query":{}} x"#.utf8)) }
        #expect(trailing?.metadata["col"] == 15)
    }

    @Test func unknownQueryIsAParsingException() throws {
        let error = #expect(throws: ElasticsearchError.self) { try SearchRequest.parse(body: json(#"{"query":{"fuzzy_match":{"title":"x"}}}"#)) }
        #expect(error?.body == json(#"{"error":{"root_cause":[{"type":"parsing_exception","reason":"unknown query [fuzzy_match]"}],"type":"parsing_exception","reason":"unknown query [fuzzy_match]","caused_by":{"type":"named_object_not_found_exception","reason":"unknown field [fuzzy_match]"}},"status":400}"#))
        let nested = #expect(throws: ElasticsearchError.self) { try SearchRequest.parse(body: json(#"{"query":{"bool":{"must":[{"match_all":{}},{"geo_shape":{}}]}}}"#)) }
        #expect(nested?.reason == "unknown query [geo_shape]")
    }

    @Test func unknownParametersAndKeysAreNamed() throws {
        let cases: [(String, String)] = [
            (#"{"query":{"match":{"title":{"query":"x","colour":1}}}}"#, "[match] query does not support [colour]"),
            (#"{"query":{"match":{"title":"x","genre":"y"}}}"#, "[match] query doesn't support multiple fields, found [title] and [genre]"),
            (#"{"query":{"bool":{"must":[],"sometimes":[]}}}"#, "[bool] query does not support [sometimes]"),
            (#"{"query":{"match_all":{}},"colour":"red"}"#, "Unknown key for a VALUE_STRING in [colour]."),
            (#"{"query":{"match_all":{},"term":{"a":"b"}}}"#, "[match_all] malformed query, expected [END_OBJECT] but found [FIELD_NAME]"),
            (#"{"query":{"multi_match":{"query":"x","type":"cross_fields"}}}"#, "[multi_match] query does not support type [cross_fields] on this node"),
        ]
        for (body, reason) in cases {
            let error = #expect(throws: ElasticsearchError.self) { try SearchRequest.parse(body: json(body)) }
            #expect(error?.type == "parsing_exception")
            #expect(error?.reason == reason)
            #expect(error?.status == 400)
        }
    }

    @Test func deepNestingIsBoundedWithoutCrashing() throws {
        var query = #"{"match_all":{}}"#
        for _ in 0..<100 { query = #"{"bool":{"must":[\#(query)]}}"# }
        let error = #expect(throws: ElasticsearchError.self) { try SearchRequest.parse(body: json(#"{"query":\#(query)}"#)) }
        #expect(error?.type == "parsing_exception")
        #expect(error?.reason == "query nesting is deeper than the limit of [64]")
        var shallow = #"{"match_all":{}}"#
        for _ in 0..<30 { shallow = #"{"bool":{"must":[\#(shallow)]}}"# }
        let engine = try SearchEngine.withMovies()
        #expect(try engine.matching(shallow).count == 5)
        let hostile = String(repeating: "[", count: 100_000)
        let depth = #expect(throws: ElasticsearchError.self) { try SearchEngine.parseBody(Array(hostile.utf8)) }
        #expect(depth?.type == "json_parse_exception")
        #expect(depth?.reason.hasPrefix("JSON nesting depth exceeds the limit of 512") == true)
        let documentEngine = try SearchEngine(dataPath: nil)
        let response = try documentEngine.bulk(try BulkRequest.parse(Array(("{\"index\":{\"_index\":\"a\"}}\n" + hostile + "\n").utf8), defaultIndex: nil))
        #expect(response.body["items"]?[0]?["index"]?["error"]?["type"] == "mapper_parsing_exception")
    }

    @Test func badValuesInQueriesAreNamed() throws {
        let engine = try SearchEngine.withMovies()
        let error = #expect(throws: ElasticsearchError.self) { try engine.matching(#"{"term":{"year":"nineteen"}}"#) }
        #expect(error?.type == "query_shard_exception")
        #expect(error?.reason == #"failed to create query: For input string: "nineteen""#)
        #expect(error?.metadata["index"] == "movies")
        let op = #expect(throws: ElasticsearchError.self) { try SearchRequest.parse(body: json(#"{"query":{"match":{"title":{"query":"x","operator":"xor"}}}}"#)) }
        #expect(op?.reason == "[match] unknown operator [xor]")
        let sort = #expect(throws: ElasticsearchError.self) { try SearchRequest.parse(body: json(#"{"sort":[{"year":"sideways"}]}"#)) }
        #expect(sort?.reason == "Unknown SortOrder [sideways]")
    }
}
