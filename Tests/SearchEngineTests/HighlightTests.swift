import Testing
import JSONValue
@testable import SearchEngine

/// `highlight` as ES 7.10's unified highlighter answers it.
@Suite struct HighlightTests {
    let engine: SearchEngine
    init() throws {
        engine = try SearchEngine.withMovies()
        _ = try engine.put("movies", "6", #"{"title":"Long Notes","genre":"documentary","body":"The node checks every client certificate. Revoked certificates are refused at the handshake. A certificate's CN becomes the user name."}"#)
    }

    /// `{id: highlight}` of a search's hits.
    func highlights(_ body: String) throws -> [String: JSON] {
        let hits = try #require(try engine.searchBody("movies", body)["hits"]?["hits"]?.arrayValue)
        return Dictionary(uniqueKeysWithValues: hits.compactMap { hit in hit["highlight"].map { (hit["_id"]!.stringValue!, $0) } })
    }

    @Test func wordsPhrasesAndKeywords() throws {
        let words = try highlights(#"{"query":{"match":{"title":"quick brown"}},"highlight":{"fields":{"title":{}}}}"#)
        #expect(words == ["1": json(#"{"title":["The <em>Quick</em> <em>Brown</em> Fox"]}"#), "3": json(#"{"title":["<em>Quick</em> Silver"]}"#),
                          "4": json(#"{"title":["<em>Brown</em> Sugar Blues"]}"#)])
        let phrase = try highlights(#"{"query":{"bool":{"should":[{"match_phrase":{"title":"brown fox"}},{"match":{"title":"silver"}}]}},"highlight":{"fields":{"title":{}}}}"#)
        #expect(phrase == ["1": json(#"{"title":["The Quick <em>Brown</em> <em>Fox</em>"]}"#), "3": json(#"{"title":["Quick <em>Silver</em>"]}"#)])
        let keyword = try highlights(#"{"query":{"term":{"genre.keyword":"drama"}},"highlight":{"fields":{"genre.keyword":{},"title":{}}}}"#)
        #expect(keyword == ["2": json(#"{"genre.keyword":["<em>drama</em>"]}"#), "4": json(#"{"genre.keyword":["<em>drama</em>"]}"#)])
        let array = try highlights(#"{"query":{"match":{"tags":"classic"}},"highlight":{"fields":{"tags":{}}}}"#)
        #expect(array == ["1": json(#"{"tags":["<em>classic</em>"]}"#)])
    }

    @Test func fieldMatchingTagsEncoderAndExclusions() throws {
        // query_string over every field (keyword fields too): each is marked where the words are.
        let everywhere = try highlights(#"{"query":{"query_string":{"query":"drama OR quick"}},"highlight":{"fields":{"*":{}},"pre_tags":["["],"post_tags":["]"]}}"#)
        #expect(everywhere["2"] == json(#"{"genre":["[drama]"],"genre.keyword":["[drama]"]}"#))
        #expect(everywhere["1"] == json(#"{"title":["The [Quick] Brown Fox"]}"#))
        // require_field_match: the title's words are marked in genre only when it is off.
        let strict = try highlights(#"{"query":{"match":{"title":"drama"}},"highlight":{"fields":{"genre":{}}}}"#)
        #expect(strict.isEmpty)
        let loose = try highlights(#"{"query":{"bool":{"should":[{"match":{"title":"lazy"}},{"match":{"title":"drama"}}]}},"highlight":{"require_field_match":false,"fields":{"genre":{}}}}"#)
        #expect(loose == ["2": json(#"{"genre":["<em>drama</em>"]}"#)])
        // must_not words are never marked; filters are.
        let negated = try highlights(#"{"query":{"bool":{"filter":[{"match":{"title":"quick"}}],"must_not":[{"match":{"title":"silver"}}]}},"highlight":{"fields":{"title":{}}}}"#)
        #expect(negated == ["1": json(#"{"title":["The <em>Quick</em> Brown Fox"]}"#)])
        _ = try engine.put("movies", "7", #"{"title":"Tom & Jerry <3 quick"}"#)
        let encoded = try highlights(#"{"query":{"match":{"title":"jerry"}},"highlight":{"encoder":"html","fields":{"title":{}}}}"#)
        #expect(encoded == ["7": json(#"{"title":["Tom &amp; <em>Jerry</em> &lt;3 quick"]}"#)])
    }

    @Test func longTextIsCutIntoSentencePassages() throws {
        func body(_ options: String) throws -> JSON? {
            try highlights(#"{"query":{"match":{"body":"certificate"}},"highlight":{"fields":{"body":{\#(options)}}}}"#)["6"]?["body"]
        }
        #expect(try body(#""fragment_size":50"#) == json(#"["The node checks every client <em>certificate</em>.","A <em>certificate</em>'s CN becomes the user name."]"#))
        #expect(try body(#""fragment_size":50,"number_of_fragments":1"#) == json(#"["The node checks every client <em>certificate</em>."]"#))
        #expect(try body(#""fragment_size":20,"number_of_fragments":1"#) == json(#"["<em>certificate</em>."]"#))
        #expect(try body(#""number_of_fragments":0"#) == json(#"["The node checks every client <em>certificate</em>. Revoked certificates are refused at the handshake. A <em>certificate</em>'s CN becomes the user name."]"#))
        // Default fragment_size 100: the first two sentences fit in one passage.
        #expect(try body("") == json(#"["The node checks every client <em>certificate</em>. Revoked certificates are refused at the handshake.","A <em>certificate</em>'s CN becomes the user name."]"#))
        let noMatch = try highlights(#"{"query":{"match":{"body":"certificate"}},"highlight":{"fields":{"title":{"no_match_size":6}}}}"#)
        #expect(noMatch["6"] == json(#"{"title":["Long"]}"#))
    }

    @Test func badHighlightOptionsAreRefused() throws {
        let unknown = #expect(throws: ElasticsearchError.self) { try engine.searchBody("movies", #"{"highlight":{"fields":{"title":{}},"colour":"red"}}"#) }
        #expect(unknown?.reason == "[highlight] unknown field [colour]")
        let order = #expect(throws: ElasticsearchError.self) { try engine.searchBody("movies", #"{"highlight":{"order":"random","fields":{"title":{}}}}"#) }
        #expect(order?.reason == "Unknown order [\"random\"]")
        let negative = #expect(throws: ElasticsearchError.self) { try engine.searchBody("movies", #"{"query":{"match":{"title":"quick"}},"highlight":{"fields":{"title":{"fragment_size":-1}}}}"#) }
        #expect(negative?.reason == "[highlight] [fragment_size] must be between 0 and 2147483647, found [-1]")
        let zero = try engine.searchBody("movies", #"{"query":{"match":{"title":"quick"}},"highlight":{"fields":{"title":{"fragment_size":0}}}}"#)
        #expect(zero["hits"]?["hits"]?[0]?["highlight"]?["title"]?[0]?.stringValue?.contains("<em>") == true)
    }
}
