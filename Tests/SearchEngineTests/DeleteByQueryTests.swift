import Foundation
import JSONValue
import Testing
@testable import SearchEngine

/// `_delete_by_query` and `_update_by_query`: one transaction, the reindex module's response,
/// ES's refusals.
@Suite struct DeleteByQueryTests {
    @Test func deletesWhatTheQueryMatches() throws {
        let engine = try SearchEngine.withMovies()
        let response = try engine.deleteByQuery("movies", body: json(#"{"query":{"term":{"genre.keyword":"drama"}}}"#))
        var body = try #require(response.body.objectValue)
        #expect(body["took"]?.intValue != nil)
        body["took"] = 0
        #expect(JSON.object(body) == json("""
            {"took":0,"timed_out":false,"total":2,"deleted":2,"batches":1,"version_conflicts":0,"noops":0,
            "retries":{"bulk":0,"search":0},"throttled_millis":0,"requests_per_second":-1.0,"throttled_until_millis":0,"failures":[]}
            """))
        #expect(try engine.matching(#"{"match_all":{}}"#).sorted() == ["1", "3", "5"])
        #expect(try engine.matching(#"{"term":{"genre.keyword":"drama"}}"#) == [])
        // Values and words of the deleted documents are gone too.
        #expect(try engine.matching(#"{"match":{"title":"lazy"}}"#) == [])
        #expect(try engine.searchBody("movies", #"{"size":0,"aggs":{"g":{"terms":{"field":"genre.keyword"}}}}"#)["aggregations"]?["g"]?["buckets"]
                == json(#"[{"key":"action","doc_count":1},{"key":"comedy","doc_count":1},{"key":"horror","doc_count":1}]"#))
        // The next write continues the sequence numbers after the deletes.
        #expect(try engine.put("movies", "9", #"{"title":"x"}"#).body["_seq_no"] == 7)
    }

    @Test func queryStringsLimitsAndEmptyMatches() throws {
        let engine = try SearchEngine.withMovies()
        #expect(try engine.deleteByQuery("movies", body: nil, parameters: ["q": "title:quick", "max_docs": "1"]).body["deleted"] == 1)
        #expect(try engine.matching(#"{"match":{"title":"quick"}}"#).count == 1)
        #expect(try engine.deleteByQuery("mov*", body: json(#"{"query":{"term":{"year":1900}}}"#)).body["deleted"] == 0)
        #expect(try engine.deleteByQuery("movies", body: json(#"{"max_docs":2}"#)).body["total"] == 2)
        #expect(try engine.count("movies", body: nil).body["count"] == 2)
    }

    @Test func refusals() throws {
        let engine = try SearchEngine.withMovies()
        #expect(throws: ElasticsearchError.illegalArgument("wait_for_completion=false is not supported by this node: delete by query always completes before it answers")) {
            try engine.deleteByQuery("movies", body: nil, parameters: ["wait_for_completion": "false"])
        }
        #expect(throws: ElasticsearchError.illegalArgument(#"conflicts may only be "proceed" or "abort" but was [ignore]"#)) {
            try engine.deleteByQuery("movies", body: nil, parameters: ["conflicts": "ignore"])
        }
        #expect(throws: ElasticsearchError.parsing("[delete_by_query] unknown field [size]")) {
            try engine.deleteByQuery("movies", body: json(#"{"size":1}"#))
        }
        #expect(throws: ElasticsearchError.indexNotFound("nope")) { try engine.deleteByQuery("nope", body: nil) }
        #expect(try engine.count("movies", body: nil).body["count"] == 5)
    }

    /// Each matching document is stored again from its `_source`: a new version and sequence
    /// number, and fields mapped since it was indexed become searchable.
    @Test func updateByQueryReindexesInPlace() throws {
        let engine = try SearchEngine.withMovies()
        _ = try engine.putMapping("movies", body: json(#"{"properties":{"title":{"type":"text","fields":{"raw":{"type":"keyword"}}}}}"#))
        #expect(try engine.matching(#"{"term":{"title.raw":"Quick Silver"}}"#) == [])
        let response = try engine.updateByQuery("movies", body: json(#"{"query":{"range":{"year":{"gte":2012}}}}"#), parameters: ["scroll_size": "2"])
        var body = try #require(response.body.objectValue)
        body["took"] = 0
        #expect(JSON.object(body) == json("""
            {"took":0,"timed_out":false,"total":3,"updated":3,"deleted":0,"batches":2,"version_conflicts":0,"noops":0,
            "retries":{"bulk":0,"search":0},"throttled_millis":0,"requests_per_second":-1.0,"throttled_until_millis":0,"failures":[]}
            """))
        #expect(try engine.matching(#"{"term":{"title.raw":"Quick Silver"}}"#) == ["3"])
        #expect(try engine.matching(#"{"term":{"title.raw":"Lazy Dog Days"}}"#) == [])
        #expect(try engine.get("movies", id: "3").body["_version"] == 2)
        #expect(try engine.get("movies", id: "1").body["_version"] == 1)
        #expect(try engine.matching(#"{"match":{"title":"quick"}}"#).sorted() == ["1", "3"])
        #expect(try engine.count("movies", body: nil).body["count"] == 5)
        #expect(throws: ElasticsearchError.illegalArgument("scripted updates are not supported by this node; update by query stores each matching document again from its _source")) {
            try engine.updateByQuery("movies", body: json(#"{"script":{"source":"ctx._source.n++"}}"#))
        }
        #expect(try engine.updateByQuery("movies", body: json(#"{"conflicts":"proceed","query":{"ids":{"values":["1"]}}}"#)).body["updated"] == 1)
        #expect(throws: ElasticsearchError.illegalArgument(#"conflicts may only be "proceed" or "abort" but was [skip]"#)) {
            try engine.updateByQuery("movies", body: json(#"{"conflicts":"skip"}"#))
        }
        #expect(throws: ElasticsearchError.parsing("[update_by_query] unknown field [size]")) {
            try engine.updateByQuery("movies", body: json(#"{"size":1}"#))
        }
    }
}
