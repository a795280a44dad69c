import Testing
import JSONValue
@testable import SearchEngine

/// Every query clause against the movies corpus, with the exact hits and order ES returns.
@Suite struct QueryDSLTests {
    let engine: SearchEngine
    init() throws { engine = try SearchEngine.withMovies() }

    @Test func matchAllReturnsEveryDocumentInIndexOrder() throws {
        #expect(try engine.matching(#"{"match_all":{}}"#) == ["1", "2", "3", "4", "5"])
        #expect(try engine.matching(#"{"match_none":{}}"#) == [])
    }

    @Test func matchRanksByBM25AndHonoursOperator() throws {
        #expect(try engine.matching(#"{"match":{"title":"quick brown"}}"#) == ["1", "3", "4"])
        #expect(try engine.matching(#"{"match":{"title":{"query":"Quick BROWN","operator":"and"}}}"#) == ["1"])
        #expect(try engine.matching(#"{"match":{"title":{"query":"quick brown silver","minimum_should_match":"2"}}}"#) == ["3", "1"])
        #expect(try engine.matching(#"{"match":{"genre":"drama"}}"#) == ["2", "4"])
        #expect(try engine.matching(#"{"match":{"year":2012}}"#) == ["3", "4"])
        #expect(try engine.matching(#"{"match":{"unmapped":"x"}}"#) == [])
    }

    /// `_id` and `_index` are in no mapping, yet ES answers term, terms, match and
    /// query_string on them (and prefix/wildcard on `_index`); they used to match nothing.
    @Test func metadataFieldsAnswerTermLevelAndMatchQueries() throws {
        #expect(try engine.matching(#"{"term":{"_id":"3"}}"#) == ["3"])
        #expect(try engine.matching(#"{"term":{"_id":{"value":"9"}}}"#) == [])
        #expect(try engine.matching(#"{"terms":{"_id":["4","2",5]}}"#) == ["2", "4", "5"])
        #expect(try engine.matching(#"{"match":{"_id":"1"}}"#) == ["1"])
        #expect(try engine.matching(#"{"query_string":{"query":"_id:2"}}"#) == ["2"])
        #expect(try engine.matching(#"{"bool":{"filter":[{"range":{"year":{"gte":2012}}}],"must_not":[{"term":{"_id":"3"}}]}}"#) == ["4", "5"])
        #expect(try engine.matching(#"{"term":{"_index":"movies"}}"#) == ["1", "2", "3", "4", "5"])
        #expect(try engine.matching(#"{"term":{"_index":"mov*"}}"#) == ["1", "2", "3", "4", "5"])
        #expect(try engine.matching(#"{"terms":{"_index":["books"]}}"#) == [])
        #expect(try engine.matching(#"{"prefix":{"_index":"mo"}}"#) == ["1", "2", "3", "4", "5"])
        #expect(try engine.matching(#"{"wildcard":{"_index":"m*ies"}}"#) == ["1", "2", "3", "4", "5"])
        #expect(try engine.matching(#"{"wildcard":{"_index":"m?vies"}}"#) == [])  // Regex.simpleMatch: `?` is itself
        #expect(try engine.matching(#"{"wildcard":{"_index":"b*"}}"#) == [])
        #expect(try engine.matching(#"{"exists":{"field":"_id"}}"#).count == 5)
    }

    @Test func matchPhraseNeedsTheWordsInOrder() throws {
        #expect(try engine.matching(#"{"match_phrase":{"title":"quick brown"}}"#) == ["1"])
        #expect(try engine.matching(#"{"match_phrase":{"title":"brown quick"}}"#) == [])
        #expect(try engine.matching(#"{"match_phrase":{"title":{"query":"sugar blues"}}}"#) == ["4"])
    }

    @Test func multiMatchSearchesSeveralFields() throws {
        #expect(try engine.matching(#"{"multi_match":{"query":"drama","fields":["title","genre"]}}"#) == ["2", "4"])
        #expect(try engine.matching(#"{"multi_match":{"query":"night action","fields":["title^2","genre"]}}"#) == ["5", "3"])
        #expect(try engine.matching(#"{"multi_match":{"query":"lazy dog","fields":["title"],"type":"phrase"}}"#) == ["2"])
    }

    @Test func termAndTermsMatchExactValues() throws {
        #expect(try engine.matching(#"{"term":{"genre":"drama"}}"#) == ["2", "4"])
        #expect(try engine.matching(#"{"term":{"genre.keyword":{"value":"drama","boost":2}}}"#) == ["2", "4"])
        #expect(try engine.matching(#"{"term":{"title":"quick"}}"#) == ["3", "1"])
        #expect(try engine.matching(#"{"term":{"title":"Quick"}}"#) == [])
        #expect(try engine.matching(#"{"term":{"available":true}}"#) == ["1", "3", "4"])
        #expect(try engine.matching(#"{"term":{"rating":6.1}}"#) == ["2"])
        #expect(try engine.matching(#"{"terms":{"genre":["action","horror"]}}"#) == ["3", "5"])
        #expect(try engine.matching(#"{"terms":{"year":[1999,2020,1234]}}"#) == ["1", "5"])
    }

    @Test func rangeOnNumbersAndDates() throws {
        #expect(try engine.matching(#"{"range":{"year":{"gte":2005,"lt":2020}}}"#) == ["2", "3", "4"])
        #expect(try engine.matching(#"{"range":{"rating":{"gt":6.1}}}"#) == ["1", "3"])
        #expect(try engine.matching(#"{"range":{"rating":{"lte":5}}}"#) == ["4", "5"])
        #expect(try engine.matching(#"{"range":{"released":{"gte":"2012-01-01","lte":"2012-12-31"}}}"#) == ["3", "4"])
        #expect(try engine.matching(#"{"range":{"released":{"gte":"2012-01-01","lt":"2012-01-01||+1M"}}}"#) == ["4"])
        #expect(try engine.matching(#"{"range":{"released":{"lte":"2005-03-15||/M"}}}"#) == ["1", "2"])
        #expect(try engine.matching(#"{"range":{"released":{"gt":"now"}}}"#) == [])
        #expect(try engine.matching(#"{"range":{"genre.keyword":{"gte":"d","lt":"h"}}}"#) == ["2", "4"])
        let error = #expect(throws: ElasticsearchError.self) { try engine.matching(#"{"range":{"released":{"gte":"yesterday"}}}"#) }
        #expect(error?.type == "query_shard_exception")
        #expect(error?.reason == "failed to create query: failed to parse date field [yesterday] with format [strict_date_optional_time||epoch_millis]")
    }

    @Test func existsPrefixWildcardAndIds() throws {
        #expect(try engine.matching(#"{"exists":{"field":"director"}}"#) == ["5"])
        #expect(try engine.matching(#"{"exists":{"field":"tags"}}"#) == ["1", "2", "3", "4"])
        #expect(try engine.matching(#"{"exists":{"field":"title"}}"#) == ["1", "2", "3", "4", "5"])
        #expect(try engine.matching(#"{"exists":{"field":"available"}}"#) == ["1", "2", "3", "4"])
        #expect(try engine.matching(#"{"prefix":{"genre.keyword":"dr"}}"#) == ["2", "4"])
        #expect(try engine.matching(#"{"prefix":{"title":{"value":"qui"}}}"#) == ["1", "3"])
        #expect(try engine.matching(#"{"wildcard":{"genre.keyword":"*o*"}}"#) == ["1", "3", "5"])
        #expect(try engine.matching(#"{"wildcard":{"title":{"value":"s*nt"}}}"#) == ["5"])
        #expect(try engine.matching(#"{"wildcard":{"genre.keyword":"?ction"}}"#) == ["3"])
        #expect(try engine.matching(#"{"ids":{"values":["4","1","nope"]}}"#) == ["1", "4"])
    }

    @Test func boolCombinesClauses() throws {
        #expect(try engine.matching(#"{"bool":{"must":{"match":{"title":"quick"}},"filter":[{"range":{"year":{"gte":2000}}}]}}"#) == ["3"])
        #expect(try engine.matching(#"{"bool":{"should":[{"term":{"genre":"drama"}},{"term":{"genre":"action"}}]}}"#) == ["3", "2", "4"])
        #expect(try engine.matching(#"{"bool":{"must_not":[{"term":{"genre":"drama"}}]}}"#) == ["1", "3", "5"])
        #expect(try engine.matching(#"{"bool":{"should":[{"term":{"genre":"drama"}},{"range":{"year":{"gte":2012}}},{"term":{"available":true}}],"minimum_should_match":2}}"#) == ["4", "3"])
        #expect(try engine.matching(#"{"bool":{"filter":{"term":{"genre":"drama"}},"should":{"match":{"title":"sugar"}}}}"#) == ["4", "2"])
        #expect(try engine.matching(#"{"bool":{"must":[{"bool":{"should":[{"match":{"title":"fox"}},{"match":{"title":"silver"}}]}}],"must_not":{"ids":{"values":["3"]}}}}"#) == ["1"])
    }

    @Test func scoresFollowBoostsAndFilterContext() throws {
        let constant = try engine.searchBody("movies", #"{"query":{"constant_score":{"filter":{"term":{"genre":"drama"}},"boost":2.5}}}"#)
        #expect(constant["hits"]?["max_score"] == 2.5)
        #expect(constant["hits"]?["hits"]?[0]?["_score"] == 2.5)
        let filtered = try engine.searchBody("movies", #"{"query":{"bool":{"filter":{"term":{"genre":"drama"}}}}}"#)
        #expect(filtered["hits"]?["hits"]?[0]?["_score"] == 0.0)
        let ranked = try engine.searchBody("movies", #"{"query":{"match":{"title":"quick"}}}"#)
        let scores = ranked["hits"]?["hits"]?.arrayValue?.compactMap { $0["_score"]?.doubleValue } ?? []
        #expect(scores.count == 2)
        #expect(scores[0] > scores[1])
        #expect(ranked["hits"]?["max_score"]?.doubleValue == scores[0])
    }

    @Test func queryStringSyntax() throws {
        func ids(_ text: String) throws -> [String] {
            try engine.matching(#"{"query_string":{"query":\#(JSON.string(text).serialized())}}"#)
        }
        #expect(try ids("title:quick AND genre:action") == ["3"])
        #expect(try ids("drama OR horror") == ["5", "2", "4"])
        #expect(try ids("quick -silver") == ["1"])
        #expect(try ids("\"brown fox\"") == ["1"])
        #expect(try ids("year:[2005 TO 2012]") == ["2", "3", "4"])
        #expect(try ids("year:>2012") == ["5"])
        #expect(try ids("title:qu*") == ["1", "3"])
        #expect(try ids("NOT genre:drama") == ["1", "3", "5"])
        #expect(try ids("title:(lazy OR fox)") == ["2", "1"])
        #expect(try engine.matching(#"{"query_string":{"query":"quick brown","default_operator":"AND"}}"#) == ["1"])
        #expect(try engine.matching(#"{"query_string":{"query":"night","fields":["title","genre"]}}"#) == ["5"])
        let error = #expect(throws: ElasticsearchError.self) { try ids("title:(quick") }
        #expect(error?.type == "query_shard_exception")
        #expect(error?.reason == "Failed to parse query [title:(quick]")
    }

    @Test func simpleQueryStringSyntax() throws {
        func ids(_ text: String) throws -> [String] {
            try engine.matching(#"{"simple_query_string":{"query":\#(JSON.string(text).serialized()),"fields":["title"]}}"#)
        }
        #expect(try ids("quick | night") == ["5", "3", "1"])
        #expect(try ids("quick -silver") == ["1"])
        #expect(try ids("\"lazy dog\"") == ["2"])
        #expect(try ids("quick +fox") == ["1"])
        #expect(try ids("(quick") == ["3", "1"])
    }

    @Test func uriSearchUsesQueryString() throws {
        #expect(try ids(engine.searchBody("movies", "{}", parameters: ["q": "genre:drama"])) == ["2", "4"])
        #expect(try ids(engine.searchBody("movies", "{}", parameters: ["q": "lazy", "df": "title"])) == ["2"])
    }
}
