import Testing
import JSONValue
@testable import SearchEngine

/// `_search`/`_count` response shapes, paging, sorting and `_source` filtering (ES 7.10).
@Suite struct SearchResponseTests {
    let engine: SearchEngine
    init() throws { engine = try SearchEngine.withMovies() }

    @Test func responseHasElasticsearchShape() throws {
        var body = try engine.searchBody("movies", #"{"size":1}"#)
        #expect(body.objectValue?.keys == ["took", "timed_out", "_shards", "hits"])
        body = .object({ var object = body.objectValue!; object["took"] = 0; return object }())
        #expect(body.serialized() == #"{"took":0,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"total":{"value":5,"relation":"eq"},"max_score":1.0,"hits":[{"_index":"movies","_type":"_doc","_id":"1","_score":1.0,"_source":{"title":"The Quick Brown Fox","genre":"comedy","year":1999,"rating":7.5,"released":"1999-05-01","tags":["animals","classic"],"available":true}}]}}"#)
    }

    @Test func emptyResultsAndMissingIndices() throws {
        let body = try engine.searchBody("movies", #"{"query":{"term":{"genre":"western"}}}"#)
        #expect(body["hits"] == json(#"{"total":{"value":0,"relation":"eq"},"max_score":null,"hits":[]}"#))
        let none = try engine.searchBody("nothing-*", "{}")
        #expect(none["_shards"] == json(#"{"total":0,"successful":0,"skipped":0,"failed":0}"#))
        #expect(none["hits"]?["total"]?["value"] == 0)
        let error = #expect(throws: ElasticsearchError.self) { try engine.searchBody("nope", "{}") }
        #expect(error?.type == "index_not_found_exception")
    }

    @Test func searchesSpanSeveralIndicesAndPatterns() throws {
        _ = try engine.put("movies-extra", "9", #"{"title":"Quick Extra"}"#)
        let body = try engine.searchBody("movies*", #"{"query":{"match":{"title":"quick"}},"size":10}"#)
        #expect(body["_shards"]?["total"] == 2)
        #expect(body["hits"]?["total"]?["value"] == 3)
        #expect(Set(ids(body)) == ["1", "3", "9"])
        #expect(body["hits"]?["hits"]?.arrayValue?.first { $0["_id"] == "9" }?["_index"] == "movies-extra")
        #expect(try engine.count("movies,movies-extra", body: nil).body["count"] == 6)
        #expect(try engine.count("movies", body: json(#"{"query":{"term":{"genre":"drama"}}}"#)).body["count"] == 2)
        #expect(try engine.count("movies", body: nil, parameters: ["q": "genre:drama"]).body["count"] == 2)
    }

    @Test func fromAndSizePageThroughHits() throws {
        #expect(try engine.hitIds("movies", #"{"from":1,"size":2}"#) == ["2", "3"])
        #expect(try engine.hitIds("movies", #"{"from":4,"size":5}"#) == ["5"])
        #expect(try engine.hitIds("movies", #"{"size":0}"#) == [])
        #expect(try ids(engine.searchBody("movies", "{}", parameters: ["from": "3", "size": "1"])) == ["4"])
        let error = #expect(throws: ElasticsearchError.self) { try SearchRequest.parse(body: json(#"{"from":9999,"size":2}"#)) }
        #expect(error?.reason.hasPrefix("Result window is too large, from + size must be less than or equal to: [10000] but was [10001].") == true)
    }

    @Test func sortByFieldsPutsMissingValuesLast() throws {
        let body = try engine.searchBody("movies", #"{"sort":[{"year":"desc"},{"rating":{"order":"asc"}}]}"#)
        #expect(ids(body) == ["5", "4", "3", "2", "1"])
        #expect(body["hits"]?["max_score"] == .null)
        #expect(body["hits"]?["hits"]?[1] == json(#"{"_index":"movies","_type":"_doc","_id":"4","_score":null,"_source":\#(movies[3].1),"sort":[2012,5.0]}"#))
        #expect(try engine.hitIds("movies", #"{"sort":["director.name.keyword"]}"#) == ["5", "1", "2", "3", "4"])
        #expect(try engine.hitIds("movies", #"{"sort":[{"director.name.keyword":{"order":"desc","missing":"_first"}}]}"#) == ["1", "2", "3", "4", "5"])
        #expect(try engine.hitIds("movies", #"{"sort":[{"released":"desc"}],"size":2}"#) == ["5", "3"])
        #expect(try engine.hitIds("movies", #"{"sort":[{"_doc":"desc"}],"size":2}"#) == ["5", "4"])
        #expect(try ids(engine.searchBody("movies", "{}", parameters: ["sort": "rating:desc", "size": "2"])) == ["3", "1"])
        let sortedFloat = try engine.searchBody("movies", #"{"sort":[{"rating":"asc"}],"size":1}"#)
        #expect(sortedFloat["hits"]?["hits"]?[0]?["sort"] == json("[4.4]"))
        let missing = try engine.searchBody("movies", #"{"sort":[{"available":"asc"}],"size":5}"#)
        #expect(missing["hits"]?["hits"]?[4]?["sort"] == json("[9223372036854775807]"))
    }

    @Test func sortCombinesScoreAndFields() throws {
        let body = try engine.searchBody("movies", #"{"query":{"match":{"title":"quick brown"}},"sort":[{"year":"desc"},"_score"]}"#)
        #expect(ids(body) == ["3", "4", "1"])
        #expect(body["hits"]?["hits"]?[0]?["sort"]?[0] == 2012)
        #expect(body["hits"]?["hits"]?[0]?["_score"]?.doubleValue != nil)
    }

    @Test func sortingRefusesTextAndUnmappedFields() throws {
        let text = #expect(throws: ElasticsearchError.self) { try engine.searchBody("movies", #"{"sort":["title"]}"#) }
        #expect(text?.type == "illegal_argument_exception")
        #expect(text?.reason.hasPrefix("Text fields are not optimised for operations that require per-document field data") == true)
        let unmapped = #expect(throws: ElasticsearchError.self) { try engine.searchBody("movies", #"{"sort":["budget"]}"#) }
        #expect(unmapped?.type == "query_shard_exception")
        #expect(unmapped?.reason == "No mapping found for [budget] in order to sort on")
        #expect(try engine.hitIds("movies", #"{"sort":[{"budget":{"unmapped_type":"long"}}],"size":2}"#) == ["1", "2"])
    }

    @Test func sourceFilteringAndHitMetadata() throws {
        let body = try engine.searchBody("movies", #"{"query":{"ids":{"values":["5"]}},"_source":["title","director.*"],"version":true,"seq_no_primary_term":true}"#)
        #expect(body["hits"]?["hits"]?[0]?.serialized() == #"{"_index":"movies","_type":"_doc","_id":"5","_version":1,"_seq_no":4,"_primary_term":1,"_score":1.0,"_source":{"title":"Silent Night","director":{"name":"Ann Lee"}}}"#)
        let excluded = try engine.searchBody("movies", #"{"query":{"ids":{"values":["5"]}},"_source":{"includes":["*"],"excludes":["director","released","rating","year"]}}"#)
        #expect(excluded["hits"]?["hits"]?[0]?["_source"] == json(#"{"title":"Silent Night","genre":"horror"}"#))
        let none = try engine.searchBody("movies", #"{"query":{"ids":{"values":["5"]}},"_source":false}"#)
        #expect(none["hits"]?["hits"]?[0]?["_source"] == nil)
    }

    @Test func trackTotalHitsControlsTheTotal() throws {
        #expect(try engine.searchBody("movies", #"{"track_total_hits":false}"#)["hits"]?["total"] == nil)
        #expect(try engine.searchBody("movies", #"{"track_total_hits":2}"#)["hits"]?["total"] == json(#"{"value":2,"relation":"gte"}"#))
        #expect(try engine.searchBody("movies", #"{"track_total_hits":true}"#)["hits"]?["total"] == json(#"{"value":5,"relation":"eq"}"#))
        #expect(try engine.searchBody("movies", #"{"query":{"match":{"title":"quick"}},"track_total_hits":1}"#)["hits"]?["total"] == json(#"{"value":1,"relation":"gte"}"#))
    }

    /// `rest_total_hits_as_int=true`: the ES 6 shape, counted exactly; a limited count is refused.
    @Test func totalHitsAsAnInteger() throws {
        let parameters = ["rest_total_hits_as_int": "true"]
        #expect(try engine.searchBody("movies", "{}", parameters: parameters)["hits"]?["total"] == 5)
        #expect(try engine.searchBody("movies", #"{"track_total_hits":true}"#, parameters: parameters)["hits"]?["total"] == 5)
        #expect(throws: ElasticsearchError.illegalArgument("[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got 2")) {
            try engine.searchBody("movies", #"{"track_total_hits":2}"#, parameters: parameters)
        }
        #expect(throws: ElasticsearchError.illegalArgument("[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got -1")) {
            try engine.searchBody("movies", "{}", parameters: ["rest_total_hits_as_int": "true", "track_total_hits": "false"])
        }
        let lines = Array("{}\n{}\n".utf8)
        let multi = engine.multiSearch(try MultiSearchRequest.parse(lines, defaultIndex: "movies", parameters: parameters))
        #expect(multi.body["responses"]?[0]?["hits"]?["total"] == 5)
    }

    @Test func writesAreVisibleToTheNextSearch() throws {
        _ = try engine.put("movies", "6", #"{"title":"Quick Again"}"#)
        #expect(try engine.matching(#"{"match":{"title":"again"}}"#) == ["6"])
        _ = try engine.update("movies", id: "6", body: json(#"{"doc":{"title":"Slow Again"}}"#))
        #expect(try engine.matching(#"{"match":{"title":"quick"}}"#) == ["3", "1"])
        _ = try engine.delete("movies", id: "6")
        #expect(try engine.matching(#"{"match":{"title":"again"}}"#) == [])
    }
}
