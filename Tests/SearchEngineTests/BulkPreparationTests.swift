import Foundation
import JSONValue
import Testing
@testable import SearchEngine

/// `BulkPreparation` analyses a bulk's documents on a second thread; the writer must store
/// exactly what it would have stored without it, and must never use an analysis made against a
/// mapping that changed since.
@Suite struct BulkPreparationTests {
    /// Known fields, a field added half-way (dynamic mapping), values the mapping refuses, a
    /// source that does not parse, replacements, a create conflict, an update, a delete and
    /// items rejected before execution: the responses, the mapping and what searches find are
    /// the same with and without preparation.
    @Test func aPreparedBulkStoresWhatAnUnpreparedOneStores() throws {
        var lines: [String] = []
        for number in 0..<150 {
            let action = number == 90 ? "create" : "index"
            lines.append(#"{"\#(action)":{"_index":"logs","_id":"\#(number == 90 ? 10 : number % 120)"}}"#)
            switch number {
            case 70: lines.append(#"{"level":"WARN","n":"seventy"}"#)
            case 80: lines.append(#"{"level":"WARN","n":"#)
            case 40...60: lines.append(#"{"level":"INFO","n":\#(number),"extra":"e\#(number % 3)","message":"added field \#(number)"}"#)
            default: lines.append(#"{"level":"\#(["INFO", "WARN", "ERROR"][number % 3])","n":\#(number),"message":"request \#(number) took \#(number % 7) ms"}"#)
            }
        }
        lines += [#"{"update":{"_index":"logs","_id":"3"}}"#, #"{"doc":{"level":"DEBUG"}}"#, #"{"delete":{"_index":"logs","_id":"4"}}"#]
        let request = try BulkRequest.parse(Array((lines.joined(separator: "\n") + "\n").utf8), defaultIndex: nil)
        let rejections: [Int: ElasticsearchError] = [5: .init(status: 403, type: "security_exception", reason: "no permissions")]

        var outcomes: [[JSON]] = []
        for prepared in [false, true] {
            let engine = try SearchEngine(dataPath: nil)
            _ = try engine.put("logs", "seed", #"{"level":"INFO","n":0,"message":"seed"}"#)
            let preparation = prepared ? BulkPreparation(request.items, catalog: engine.catalog.snapshot, always: true) : nil
            defer { preparation?.finish() }
            outcomes.append([
                try engine.bulk(request, rejections: rejections, preparation: preparation).body,
                try engine.getMapping("logs").body,
                try engine.searchBody("logs", #"{"size":0,"aggs":{"l":{"terms":{"field":"level.keyword"}},"e":{"terms":{"field":"extra.keyword"}},"s":{"sum":{"field":"n"}}}}"#),
                try engine.searchBody("logs", #"{"size":200,"query":{"match":{"message":"took"}},"sort":["_score",{"n":"asc"}]}"#),
                try engine.searchBody("logs", #"{"size":200,"query":{"range":{"n":{"gte":100}}},"sort":[{"n":"desc"}]}"#),
            ].map(withoutRunFacts))
        }
        for (unprepared, prepared) in zip(outcomes[0], outcomes[1]) { #expect(unprepared == prepared) }
        let items = outcomes[1][0]["items"]?.arrayValue ?? []
        #expect(items.count == 152)
        #expect(items[5]["index"]?["status"] == 403)
        #expect(items[70]["index"]?["error"]?["type"] == "mapper_parsing_exception")
        #expect(items[80]["index"]?["error"]?["type"] == "mapper_parsing_exception")
        #expect(items[90]["create"]?["status"] == 409)
        #expect(outcomes[1][2]["aggregations"]?["e"]?["buckets"] == json(#"[{"key":"e0","doc_count":7},{"key":"e1","doc_count":7},{"key":"e2","doc_count":7}]"#))
    }

    /// An analysis made while the index ignored unknown fields (`dynamic: false`) must not be
    /// used after a mapping update maps one of them: the writer analyses those documents again.
    @Test func anAnalysisMadeBeforeAMappingUpdateIsNotUsed() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("logs", body: json(#"{"mappings":{"dynamic":false,"properties":{"n":{"type":"long"}}}}"#))
        let request = try bulkOf(20) { #"{"n":\#($0),"extra":"x"}"# }
        let preparation = try #require(BulkPreparation(request.items, catalog: engine.catalog.snapshot, always: true))
        defer { preparation.finish() }
        _ = try engine.putMapping("logs", body: json(#"{"properties":{"extra":{"type":"keyword"}}}"#))
        #expect(try engine.bulk(request, rejections: [:], preparation: preparation).body["errors"] == false)
        #expect(try engine.count("logs", body: json(#"{"query":{"term":{"extra":"x"}}}"#)).body["count"] == 20)
    }

    /// An index deleted and created again under the same name may reach the same mapping
    /// version; its new id still tells the writer that the analysis was made for another index.
    @Test func anAnalysisOfAReplacedIndexIsNotUsed() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("logs", body: json(#"{"mappings":{"properties":{"n":{"type":"long"}}}}"#))
        let request = try bulkOf(10) { _ in #"{"n":5}"# }
        let preparation = try #require(BulkPreparation(request.items, catalog: engine.catalog.snapshot, always: true))
        defer { preparation.finish() }
        _ = try engine.deleteIndex("logs")
        _ = try engine.createIndex("logs", body: json(#"{"mappings":{"properties":{"n":{"type":"keyword"}}}}"#))
        #expect(engine.metadata(of: "logs")?.mappingVersion == 1)
        #expect(try engine.bulk(request, rejections: [:], preparation: preparation).body["errors"] == false)
        let aggregation = try engine.searchBody("logs", #"{"size":0,"aggs":{"n":{"terms":{"field":"n"}}}}"#)
        #expect(aggregation["aggregations"]?["n"]?["buckets"] == json(#"[{"key":"5","doc_count":10}]"#))
    }

    /// Bulks prepared at the same time against the same metadata, each adding its own field,
    /// are written one after the other: every document and both fields arrive.
    @Test func concurrentBulksAddingFieldsLoseNothing() async throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.put("logs", "seed", #"{"n":0}"#)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for field in ["a", "b"] {
                group.addTask {
                    let request = try bulkOf(300, id: field) { #"{"n":\#($0),"\#(field)":"v\#($0 % 2)"}"# }
                    #expect(try engine.bulk(request).body["errors"] == false)
                }
            }
            try await group.waitForAll()
        }
        #expect(try engine.count("logs", body: nil).body["count"] == 601)
        #expect(try engine.count("logs", body: json(#"{"query":{"term":{"a.keyword":"v1"}}}"#)).body["count"] == 150)
        #expect(try engine.count("logs", body: json(#"{"query":{"term":{"b.keyword":"v0"}}}"#)).body["count"] == 150)
    }

    /// The worker stays at most `lookahead` items ahead of the writer and waits there; a run of
    /// deletes longer than that (items the writer never asks about) must not stall either side.
    @Test func theWorkerWaitsForTheWriterAcrossLongRunsOfOtherActions() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.put("logs", "seed", #"{"n":0}"#)
        var lines: [String] = []
        for number in 0..<(3 * BulkPreparation.lookahead) {
            lines += [#"{"index":{"_index":"logs","_id":"a\#(number)"}}"#, #"{"n":\#(number)}"#]
        }
        for number in 0..<(3 * BulkPreparation.lookahead) { lines.append(#"{"delete":{"_index":"logs","_id":"a\#(number)"}}"#) }
        for number in 0..<(3 * BulkPreparation.lookahead) {
            lines += [#"{"create":{"_index":"logs","_id":"b\#(number)"}}"#, #"{"n":\#(number),"tag":"b"}"#]
        }
        let request = try BulkRequest.parse(Array((lines.joined(separator: "\n") + "\n").utf8), defaultIndex: nil)
        let preparation = try #require(BulkPreparation(request.items, catalog: engine.catalog.snapshot, always: true))
        defer { preparation.finish() }
        #expect(try engine.bulk(request, rejections: [:], preparation: preparation).body["errors"] == false)
        #expect(try engine.count("logs", body: nil).body["count"] == .int(Int64(1 + 3 * BulkPreparation.lookahead)))
        #expect(try engine.count("logs", body: json(#"{"query":{"range":{"n":{"gte":100,"lt":200}}}}"#)).body["count"] == 100)
    }

    /// The CPU affinity list of `/proc/self/status` (`Cpus_allowed_list`) bounds the processors
    /// work ahead counts on: a node pinned with `taskset -c 0` prepares nothing ahead.
    @Test(arguments: [("0", 1), ("0-1", 2), ("0-3,8,10-11", 7), ("\t2\n", 1)] as [(String, Int)])
    func cpuListsAreCounted(list: String, count: Int) {
        #expect(allowedCPUCount(list[...]) == count)
    }

    @Test(arguments: ["", "x", "3-1", "1-2-3", "0,"])
    func malformedCPUListsAreNotCounted(list: String) {
        #expect(allowedCPUCount(list[...]) == nil)
    }

    /// A response without what differs between two engines and two runs: `took` and index uuids.
    private func withoutRunFacts(_ value: JSON) -> JSON {
        switch value {
        case .object(let object):
            .object(JSONObject(object.filter { $0.key != "took" && $0.key != "index_uuid" }.map { ($0.key, withoutRunFacts($0.value)) }))
        case .array(let items): .array(items.map(withoutRunFacts))
        default: value
        }
    }

    private func bulkOf(_ count: Int, id prefix: String = "", _ source: (Int) -> String) throws -> BulkRequest {
        let lines = (0..<count).flatMap { [#"{"index":{"_index":"logs","_id":"\#(prefix)\#($0)"}}"#, source($0)] }
        return try BulkRequest.parse(Array((lines.joined(separator: "\n") + "\n").utf8), defaultIndex: nil)
    }
}
