import Foundation
import JSONValue
import Testing
@testable import SearchEngine

/// `search_after`: pages that continue from the previous page's last sort values.
@Suite struct SearchAfterTests {
    let engine: SearchEngine

    init() throws { engine = try SearchEngine.withMovies() }

    func page(_ body: String) throws -> JSON { try engine.searchBody("movies", body) }

    @Test func pagesFollowTheLastSortValues() throws {
        let sort = #""sort":[{"year":"desc"},{"_doc":"asc"}]"#
        let first = try page(#"{"size":2,\#(sort)}"#)
        #expect(ids(first) == ["5", "3"])
        let last = try #require(first["hits"]?["hits"]?[1]?["sort"])
        #expect(last == json("[2012,2]"))
        let second = try page(#"{"size":2,\#(sort),"search_after":\#(last.serialized())}"#)
        #expect(ids(second) == ["4", "2"])
        #expect(second["hits"]?["total"] == json(#"{"value":5,"relation":"eq"}"#))
        let third = try page(#"{"size":2,\#(sort),"search_after":[2005,1]}"#)
        #expect(ids(third) == ["1"])
        #expect(ids(try page(#"{"size":2,\#(sort),"search_after":[1999,0]}"#)) == [])
    }

    @Test func keywordsDatesAndScores() throws {
        #expect(ids(try page(#"{"sort":["title.keyword"],"search_after":["Quick Silver"]}"#)) == ["5", "1"])
        #expect(ids(try page(#"{"sort":[{"title.keyword":"desc"}],"search_after":["Quick Silver"]}"#)) == ["2", "4"])
        #expect(ids(try page(#"{"sort":["released"],"search_after":["2005-03-15"]}"#)) == ["4", "3", "5"])
        #expect(ids(try page(#"{"sort":["released"],"search_after":[1110844800000]}"#)) == ["4", "3", "5"])
        // A missing value sorts last (as Long.MAX_VALUE in the hits' `sort`), so it comes after every value.
        let directors = try page(#"{"sort":["director.name.keyword"],"size":1}"#)
        #expect(ids(directors) == ["5"])
        #expect(ids(try page(#"{"sort":["director.name.keyword",{"_doc":"asc"}],"search_after":["Ann Lee",4]}"#)) == ["1", "2", "3", "4"])
        let scored = try page(#"{"query":{"match":{"title":"quick"}}}"#)
        #expect(ids(scored) == ["3", "1"])
        let best = try #require(scored["hits"]?["hits"]?[0]?["_score"])
        #expect(ids(try page(#"{"query":{"match":{"title":"quick"}},"search_after":[\#(best.serialized())]}"#)) == ["1"])
    }

    @Test func requestsSearchAfterCannotServeAreRefused() throws {
        #expect(throws: ElasticsearchError.illegalArgument("`from` parameter must be set to 0 when `search_after` is used.")) {
            try page(#"{"from":1,"sort":["year"],"search_after":[2000]}"#)
        }
        #expect(throws: ElasticsearchError.illegalArgument("search_after has 2 value(s) but sort has 1.")) {
            try page(#"{"sort":["year"],"search_after":[2000,1]}"#)
        }
        #expect(throws: ElasticsearchError.xContentParse("[search_after] must be an array of the previous page's last sort values")) {
            try page(#"{"sort":["year"],"search_after":2000}"#)
        }
        #expect(throws: ElasticsearchError.illegalArgument("failed to parse date field [soon] with format [strict_date_optional_time||epoch_millis]")) {
            try page(#"{"sort":["released"],"search_after":["soon"]}"#)
        }
        #expect(throws: ElasticsearchError.actionValidation(["`search_after` cannot be used in a scroll context."])) {
            try engine.openScroll("movies", SearchRequest.parse(body: json(#"{"sort":["year"],"search_after":[2000]}"#)), keepAlive: "1m", owner: nil)
        }
    }
}
