import Foundation
import JSONValue
import Testing
@testable import SearchEngine

/// The scroll API (`ScrollContexts`, `ScrollOperations`): pages, snapshot, limits, owners and
/// Elasticsearch 7.10's error bodies.
@Suite struct ScrollTests {
    /// 25 documents `d0`…`d24` with `n` = 0…24.
    func engine(documents: Int = 25) throws -> SearchEngine {
        let engine = try SearchEngine(dataPath: nil)
        var lines: [String] = []
        for number in 0..<documents {
            lines.append(#"{"index":{"_index":"logs","_id":"d\#(number)"}}"#)
            lines.append(#"{"n":\#(number),"level":"\#(number % 2 == 0 ? "even" : "odd")"}"#)
        }
        let response = try engine.bulk(BulkRequest.parse(Array((lines.joined(separator: "\n") + "\n").utf8), defaultIndex: nil))
        #expect(response.body["errors"] == false)
        return engine
    }

    func open(_ engine: SearchEngine, _ body: String, keepAlive: String = "1m", owner: String? = "alice") throws -> EngineResponse {
        try engine.openScroll("logs", SearchRequest.parse(body: json(body)), keepAlive: keepAlive, owner: owner)
    }

    func scrollId(_ response: EngineResponse) -> String { response.body["_scroll_id"]?.stringValue ?? "" }

    @Test func pagesCoverEveryHitOnceInOrderWithTheSameTotal() throws {
        let engine = try engine()
        let first = try open(engine, #"{"size":10,"sort":[{"n":"desc"}],"aggs":{"levels":{"terms":{"field":"level.keyword"}}}}"#)
        #expect(first.body.objectValue?.keys.first == "_scroll_id")
        #expect(ids(first.body) == (15...24).reversed().map { "d\($0)" })
        #expect(first.body["hits"]?["total"] == json(#"{"value":25,"relation":"eq"}"#))
        #expect(first.body["aggregations"]?["levels"]?["buckets"] == json(#"[{"key":"even","doc_count":13},{"key":"odd","doc_count":12}]"#))
        let id = scrollId(first)
        let second = try engine.continueScroll(id, keepAlive: "1m", owner: "alice")
        #expect(ids(second.body) == (5...14).reversed().map { "d\($0)" })
        #expect(second.body["hits"]?["total"] == json(#"{"value":25,"relation":"eq"}"#))
        #expect(second.body["aggregations"] == nil)
        #expect(second.body["_scroll_id"]?.stringValue == id)
        #expect(second.body["hits"]?["hits"]?[0]?["sort"] == json("[14]"))
        #expect(ids(try engine.continueScroll(id, keepAlive: nil, owner: "alice").body) == (0...4).reversed().map { "d\($0)" })
        #expect(ids(try engine.continueScroll(id, keepAlive: nil, owner: "alice").body) == [])
        #expect(engine.openScrollCount == 1)
    }

    /// The ranking is taken when the scroll opens: later documents are not in it, and a deleted
    /// one leaves its page, which is filled from the next hits.
    @Test func theRankingIsASnapshotAndDeletedDocumentsAreSkipped() throws {
        let engine = try engine()
        let first = try open(engine, #"{"size":10,"sort":["n"]}"#)
        _ = try engine.put("logs", "late", #"{"n":-1}"#)
        _ = try engine.delete("logs", id: "d12")
        let second = try engine.continueScroll(scrollId(first), keepAlive: nil, owner: "alice")
        #expect(ids(second.body) == ["d10", "d11", "d13", "d14", "d15", "d16", "d17", "d18", "d19", "d20"])
        let third = try engine.continueScroll(scrollId(first), keepAlive: nil, owner: "alice")
        #expect(ids(third.body) == ["d21", "d22", "d23", "d24"])
    }

    @Test func scrollsReadPastTheResultWindow() throws {
        let engine = try engine(documents: 10_050)
        let first = try open(engine, #"{"size":5000,"sort":["_doc"],"_source":false}"#)
        var seen = Set(ids(first.body))
        for _ in 0..<3 { seen.formUnion(ids(try engine.continueScroll(scrollId(first), keepAlive: nil, owner: "alice").body)) }
        #expect(seen.count == 10_050)
    }

    @Test func anotherUserNeitherReadsNorClearsAScroll() throws {
        let engine = try engine()
        let id = scrollId(try open(engine, #"{"size":5}"#))
        let number = try ScrollId(parsing: id).context
        #expect(throws: ElasticsearchError.scrollMissing(number)) { try engine.continueScroll(id, keepAlive: nil, owner: "mallory") }
        #expect(try engine.clearScroll([id], owner: "mallory") == EngineResponse(status: 404, body: json(#"{"succeeded":true,"num_freed":0}"#)))
        #expect(try engine.clearScroll(nil, owner: "mallory").status == 404)
        #expect(ids(try engine.continueScroll(id, keepAlive: nil, owner: "alice").body).count == 5)
    }

    @Test func missingContextsAnswerAsElasticsearchDoes() throws {
        let engine = try engine()
        let id = scrollId(try open(engine, #"{"size":5}"#))
        #expect(try engine.clearScroll([id], owner: "alice") == EngineResponse(body: json(#"{"succeeded":true,"num_freed":1}"#)))
        let number = try ScrollId(parsing: id).context
        do {
            _ = try engine.continueScroll(id, keepAlive: nil, owner: "alice")
            Issue.record("a cleared scroll answered")
        } catch {
            #expect(error.status == 404)
            #expect(error.body == json("""
                {"error":{"root_cause":[{"type":"search_context_missing_exception","reason":"No search context found for id [\(number)]"}],
                "type":"search_phase_execution_exception","reason":"all shards failed","phase":"query","grouped":true,
                "failed_shards":[{"shard":-1,"index":null,"reason":{"type":"search_context_missing_exception","reason":"No search context found for id [\(number)]"}}],
                "caused_by":{"type":"search_context_missing_exception","reason":"No search context found for id [\(number)]"}},"status":404}
                """))
        }
        #expect(throws: ElasticsearchError.illegalArgument("Cannot parse scroll id")) { try engine.continueScroll("not-a-scroll", keepAlive: nil, owner: "alice") }
        #expect(throws: ElasticsearchError.illegalArgument("Cannot parse scroll id")) { try engine.clearScroll(["x"], owner: "alice") }
    }

    @Test func anExpiredScrollIsGone() throws {
        let engine = try engine()
        let id = scrollId(try open(engine, #"{"size":5}"#, keepAlive: "20ms"))
        Thread.sleep(forTimeInterval: 0.1)
        #expect(throws: ElasticsearchError.scrollMissing(try ScrollId(parsing: id).context)) { try engine.continueScroll(id, keepAlive: nil, owner: "alice") }
        #expect(engine.openScrollCount == 0)
    }

    @Test func requestsAScrollCannotServeAreRefused() throws {
        let engine = try engine()
        #expect(throws: ElasticsearchError.actionValidation(["using [from] is not allowed in a scroll context"])) { try open(engine, #"{"from":5}"#) }
        #expect(throws: ElasticsearchError.actionValidation(["using [from] is not allowed in a scroll context", "[size] cannot be [0] in a scroll context"])) {
            try open(engine, #"{"from":1,"size":0}"#)
        }
        #expect(throws: ElasticsearchError.illegalArgument("failed to parse setting [scroll] with value [soon] as a time value: unit is missing or unrecognized")) {
            try open(engine, "{}", keepAlive: "soon")
        }
        #expect(throws: ElasticsearchError.illegalArgument("Keep alive for request (2d) is too large. It must be less than (1d). This limit can be set by changing the [search.max_keep_alive] cluster level setting.")) {
            try open(engine, "{}", keepAlive: "2d")
        }
        #expect(engine.openScrollCount == 0)
    }

    @Test func atMost500ScrollsAreOpen() throws {
        let engine = try engine(documents: 3)
        for _ in 0..<ScrollContexts.maxOpen { _ = try open(engine, #"{"size":1}"#) }
        do {
            _ = try open(engine, #"{"size":1}"#)
            Issue.record("a 501st scroll opened")
        } catch let error as ElasticsearchError {
            #expect(error.status == 500)
            #expect(error.body["error"]?["root_cause"] == json(#"[{"type":"exception","reason":"Trying to create too many scroll contexts. Must be less than or equal to: [500]. This limit can be set by changing the [search.max_open_scroll_context] setting."}]"#))
        }
        #expect(try engine.clearScroll(nil, owner: "alice").body["num_freed"] == 500)
        #expect(ids(try open(engine, #"{"size":1}"#).body).count == 1)
    }

    /// A context holds its whole ranking, so the hits all open scrolls hold are bounded too.
    @Test func openScrollsHoldBoundedHits() throws {
        let contexts = ScrollContexts(maxHeldHits: 10)
        func context(_ hits: Int) -> ScrollContexts.Context {
            let ranking = SearchExecution.Ranking(candidates: (0..<hits).map { Candidate(rowid: Int64($0), score: 1, sortValues: []) },
                                                  total: hits, maxScore: 1, sortFields: [], scored: false)
            return ScrollContexts.Context(owner: "alice", secret: [1], indices: ["logs"], request: SearchRequest(), ranking: ranking,
                                          position: 0, keepAlive: .seconds(60), expires: .now + .seconds(60))
        }
        let first = try contexts.open(context(6))
        do {
            _ = try contexts.open(context(6))
            Issue.record("more than 10 hits held")
        } catch {
            #expect(error.status == 500)
            #expect(error.body["error"]?["root_cause"]?[0]?["reason"] == "Trying to hold too many scroll hits. Open scrolls may hold at most [10] hits together, [6] are held; clear the scrolls that are done.")
        }
        #expect(contexts.clear([ScrollId(context: first, secret: [1])], owner: "alice") == 1)
        _ = try contexts.open(context(6))
        #expect(contexts.openCount == 1)
    }
}
