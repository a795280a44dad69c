import Testing
import JSONValue
@testable import SearchEngine

/// Inputs the libFuzzer targets of Tests/Fuzz found (issue 9 "Fuzzing"), each with the exact
/// answer it must get now. Run `make reliability-fuzz` to look for more.
@Suite struct FuzzRegressionTests {
    /// fuzz-query-dsl: `?sort=:` split into no pieces and trapped on `pieces[0]`, taking the
    /// whole node down with one unauthenticated-looking GET.
    @Test func sortParameterWithoutFieldNameIsAnErrorNotACrash() throws {
        #expect(try SearchRequest.parse(body: nil, parameters: ["sort": ":"]).sort == [SortField(field: "", descending: false)])
        let engine = try SearchEngine.withMovies()
        let request = try SearchRequest.parse(body: nil, parameters: ["sort": ":"])
        #expect(throws: ElasticsearchError(status: 400, type: "query_shard_exception", reason: "No mapping found for [] in order to sort on",
                                           metadata: ElasticsearchError.indexMetadata("movies", uuid: engine.metadata(of: "movies")!.uuid))) {
            try engine.search("movies", request)
        }
    }

    /// fuzz-query-dsl: a whole number beyond a long (`q=year:>2000…0`, or `1e30` in a range) was
    /// converted with `Int64(_:)`, which traps: one search took the node down. ES refuses it.
    @Test func numbersBeyondALongAreRefusedNotConverted() throws {
        let engine = try SearchEngine.withMovies()
        let uuid = try #require(engine.metadata(of: "movies")?.uuid)
        func refusal(_ reason: String) -> ElasticsearchError {
            ElasticsearchError(status: 400, type: "query_shard_exception", reason: "failed to create query: \(reason)",
                               metadata: ElasticsearchError.indexMetadata("movies", uuid: uuid))
        }
        let huge = "2" + String(repeating: "0", count: 80)
        // Java prints the double the value was read as.
        #expect(throws: refusal("Value [2.0E80] is out of range for a long")) {
            try engine.search("movies", SearchRequest.parse(body: nil, parameters: ["q": "genre:drama AND year:>\(huge)"]))
        }
        #expect(throws: refusal("Value [1.0E30] is out of range for a long")) {
            try engine.searchBody("movies", #"{"query":{"range":{"year":{"lt":1e30}}}}"#)
        }
        #expect(throws: refusal("For input string: \"inf\"")) { try engine.searchBody("movies", #"{"query":{"term":{"year":"inf"}}}"#) }
        // The edges of a long still work.
        #expect(try engine.matching(#"{"range":{"year":{"gte":-9223372036854775808,"lte":9223372036854775807}}}"#).count == 5)
    }

    /// The same parameter read as ES's RestSearchAction reads it: the last `:` splits field and
    /// order; an order other than asc/desc keeps the default.
    @Test func sortParameterSplitsAtTheLastColon() throws {
        let sort = try SearchRequest.parse(body: nil, parameters: ["sort": "year:desc,a:b:asc,_score,_score:asc,rating:sideways,:desc"]).sort
        #expect(sort == [SortField(field: "year", descending: true), SortField(field: "a:b", descending: false),
                         SortField(field: "_score", descending: true), SortField(field: "_score", descending: false),
                         SortField(field: "rating", descending: false), SortField(field: "", descending: true)])
        let engine = try SearchEngine.withMovies()
        let hits = try engine.search("movies", try SearchRequest.parse(body: nil, parameters: ["sort": "year:desc,rating:asc"])).body
        #expect(ids(hits) == ["5", "4", "3", "2", "1"])
    }
}

/// fuzz-bulk-ndjson: a source key `.` split into no path parts and trapped in `Mapping.add`.
/// Keys are now checked as ES's DocumentParser checks them.
@Suite struct FieldNameRegressionTests {
    static func refusal(_ reason: String) -> ElasticsearchError {
        .mapperParsing("failed to parse", causedBy: ["type": "illegal_argument_exception", "reason": .string(reason)])
    }

    @Test(arguments: [
        (#"{".":1}"#, "field name cannot contain only dots"),
        (#"{"...":{"x":1}}"#, "field name cannot contain only dots"),
        (#"{"":1}"#, "field name cannot be an empty string"),
        (#"{"a..b":1}"#, "object field starting or ending with a [.] makes object resolution ambiguous: [a..b]"),
        (#"{".a":1}"#, "object field starting or ending with a [.] makes object resolution ambiguous: [.a]"),
        (#"{"a. .b":1}"#, "object field cannot contain only whitespace: ['a. .b']"),
        (#"{"ok":{"x.":{".":true}}}"#, "field name cannot contain only dots"),
    ])
    func badFieldNamesAreMapperParsingErrors(source: String, reason: String) throws {
        let engine = try SearchEngine(dataPath: nil)
        #expect(throws: Self.refusal(reason)) { try engine.put("logs", "1", source) }
        #expect(!engine.exists("logs", id: "1"))
    }

    /// Java's `String.split` drops trailing empty parts: `a.` is the field `a`.
    @Test func trailingDotsNameTheSameField() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.put("logs", "1", #"{"a.":"x","b":{"c..":7}}"#)
        #expect(try engine.hitIds("logs", #"{"query":{"term":{"a":"x"}}}"#) == ["1"])
        #expect(try engine.hitIds("logs", #"{"query":{"term":{"b.c":7}}}"#) == ["1"])
    }

    /// The input the fuzzer saved: the bulk answers a 400 for the item, the rest proceeds.
    @Test func theSavedBulkInputFailsOnlyItsItem() throws {
        let body = """
            {"create":{"_index":"logs"}}
            {"@timestamp":"2026-11-29T17:00:00.123Z","log":{"offset":8728},".":1.5,"ok":true}
            {"index":{"_index":"logs","_id":"9"}}
            {"a":1}

            """
        let engine = try SearchEngine(dataPath: nil)
        let response = try engine.bulk(try BulkRequest.parse(Array(body.utf8), defaultIndex: nil))
        let items = try #require(response.body["items"]?.arrayValue)
        #expect(response.body["errors"] == true)
        #expect(items[0]["create"]?["status"] == 400)
        #expect(items[0]["create"]?["error"]?["caused_by"]?["reason"] == "field name cannot contain only dots")
        #expect(items[1]["index"]?["status"] == 201)
    }
}
