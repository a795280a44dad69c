import Foundation
import Testing
import JSONValue
@testable import SearchEngine

@Suite struct IndexAPITests {
    @Test func createIndexAnswersLikeElasticsearchAndRefusesDuplicates() throws {
        let engine = try SearchEngine(dataPath: nil)
        let created = try engine.createIndex("movies", body: json(#"{"settings":{"number_of_shards":1,"number_of_replicas":0},"mappings":{"properties":{"title":{"type":"text"},"year":{"type":"integer"}}}}"#))
        #expect(created == EngineResponse(body: json(#"{"acknowledged":true,"shards_acknowledged":true,"index":"movies"}"#)))
        #expect(created.body.serialized() == #"{"acknowledged":true,"shards_acknowledged":true,"index":"movies"}"#)
        let uuid = try #require(engine.metadata(of: "movies")?.uuid)
        #expect(uuid.count == 22)
        let error = #expect(throws: ElasticsearchError.self) { try engine.createIndex("movies", body: nil) }
        #expect(error?.type == "resource_already_exists_exception")
        #expect(error?.reason == "index [movies/\(uuid)] already exists")
        #expect(error?.status == 400)
    }

    @Test func getIndexShowsMappingsAndSettings() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("movies", body: json(#"{"settings":{"index":{"number_of_replicas":"2"}},"mappings":{"properties":{"year":{"type":"integer"},"title":{"type":"text"}}}}"#))
        let body = try engine.getIndex("movies").body
        #expect(body["movies"]?["aliases"] == json("{}"))
        #expect(body["movies"]?["mappings"]?.serialized() == #"{"properties":{"title":{"type":"text"},"year":{"type":"integer"}}}"#)
        let settings = try #require(body["movies"]?["settings"]?["index"])
        #expect(settings["number_of_shards"] == "1")
        #expect(settings["number_of_replicas"] == "2")
        #expect(settings["provided_name"] == "movies")
        #expect(settings["version"] == json(#"{"created":"7100299"}"#))
    }

    @Test func dynamicMappingFollowsElasticsearchDefaults() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.put("logs", "1", #"{"message":"hello","count":3,"ratio":0.5,"ok":true,"@timestamp":"2026-11-29T16:45:00Z","host":{"name":"web-1"},"empty":null}"#)
        let mapping = try engine.getMapping("logs").body
        #expect(mapping.serialized() == #"{"logs":{"mappings":{"properties":{"@timestamp":{"type":"date"},"count":{"type":"long"},"host":{"properties":{"name":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}}}},"message":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},"ok":{"type":"boolean"},"ratio":{"type":"float"}}}}}"#)
    }

    @Test func putMappingAddsFieldsAndRefusesTypeChanges() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("movies", body: nil)
        #expect(try engine.putMapping("movies", body: json(#"{"properties":{"genre":{"type":"keyword"}}}"#)).body == json(#"{"acknowledged":true}"#))
        let error = #expect(throws: ElasticsearchError.self) { try engine.putMapping("movies", body: json(#"{"properties":{"genre":{"type":"long"}}}"#)) }
        #expect(error?.type == "illegal_argument_exception")
        #expect(error?.reason == "mapper [genre] cannot be changed from type [keyword] to [long]")
        let unknown = #expect(throws: ElasticsearchError.self) { try engine.putMapping("movies", body: json(#"{"properties":{"x":{"type":"geo_shape"}}}"#)) }
        #expect(unknown?.type == "mapper_parsing_exception")
        #expect(unknown?.reason == "No handler for type [geo_shape] declared on field [x]")
        _ = try engine.put("movies", "1", #"{"genre":"Drama"}"#)
        #expect(try engine.matchingIds("movies", #"{"term":{"genre":"Drama"}}"#) == ["1"])
    }

    @Test func deleteIndexAcceptsListsAndWildcardsAndExistsReflectsIt() throws {
        let engine = try SearchEngine(dataPath: nil)
        for name in ["logs-a", "logs-b", "movies"] { _ = try engine.createIndex(name, body: nil) }
        #expect(engine.indexExists("logs-a"))
        #expect(try engine.deleteIndex("logs-*").body == json(#"{"acknowledged":true}"#))
        #expect(engine.indexNames == ["movies"])
        #expect(!engine.indexExists("logs-a"))
        let error = #expect(throws: ElasticsearchError.self) { try engine.deleteIndex("nope") }
        #expect(error?.status == 404)
        #expect(error?.type == "index_not_found_exception")
        // ?ignore_unavailable=true: missing names are skipped, the rest deleted, still acknowledged.
        #expect(try engine.deleteIndex("nope", ignoreUnavailable: true).body == json(#"{"acknowledged":true}"#))
        _ = try engine.createIndex("logs-c", body: nil)
        #expect(try engine.deleteIndex("nope,logs-c", ignoreUnavailable: true).body == json(#"{"acknowledged":true}"#))
        #expect(engine.indexNames == ["movies"])
        #expect(try engine.getIndex("nope", ignoreUnavailable: true).body == json("{}"))
        #expect(try engine.getIndex("_all").body.objectValue?.keys == ["movies"])
        _ = try engine.deleteIndex("_all")
        #expect(engine.indexNames.isEmpty)
    }

    @Test func statsAndHealthReflectReplicas() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("solo", body: json(#"{"settings":{"number_of_replicas":0}}"#))
        #expect(engine.clusterHealth(clusterName: "lab").body["status"] == "green")
        _ = try engine.put("solo", "1", #"{"a":1}"#)
        _ = try engine.put("logs", "1", #"{"message":"x"}"#)
        let stats = try engine.indexStats()
        #expect(stats.map(\.index) == ["logs", "solo"])
        #expect(stats.map(\.health) == ["yellow", "green"])
        #expect(stats.map(\.documentCount) == [1, 1])
        #expect(stats[1].storeSize == 7)
        #expect(stats[1].catJSON["docs.count"] == "1")
        #expect(stats[1].catJSON["store.size"] == 7)
        #expect(IndexStats.humanSize(5324) == "5.2kb")
        #expect(IndexStats.humanSize(1_048_576) == "1mb")
        let health = engine.clusterHealth(clusterName: "lab").body
        #expect(health["status"] == "yellow")
        #expect(health["active_primary_shards"] == 2)
        #expect(health["unassigned_shards"] == 1)
        #expect(health["active_shards_percent_as_number"] == 66.66666666666667)
    }

    /// Deleting a large index merges away the delete markers its rows left in the FTS5 table all
    /// indices share (`SearchEngine.expungeDeletes`): the table shrinks back to about its size
    /// before that index, and the index that stays still matches exactly.
    @Test func deletingALargeIndexMergesAwayItsFullTextDeleteMarkers() throws {
        let directory = temporaryDirectory("delete-merge")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try SearchEngine(dataPath: directory)
        func fullTextBytes() throws -> Int {
            try engine.writer.read { db in try Int.fetchOne(db, sql: "SELECT coalesce(sum(length(block)), 0) FROM fts_data") ?? -1 }
        }
        try RefreshTests.bulk(engine, index: "logs", 0..<500)
        let before = try fullTextBytes()
        for start in stride(from: 0, to: 3000, by: 1000) { try RefreshTests.bulk(engine, index: "gone", start..<(start + 1000)) }
        let grown = try fullTextBytes()
        #expect(try engine.deleteIndex("gone").body == json(#"{"acknowledged":true}"#))
        let after = try fullTextBytes()
        // Measured: 18,702 bytes before, 130,516 with `gone`, 18,704 after; without the merge the
        // deletion's markers made it 193,756.
        #expect(grown > 5 * before)
        #expect(after <= before + before / 10, "\(before) bytes before, \(after) after")
        #expect(try engine.count("logs", body: json(#"{"query":{"match":{"message":"log"}}}"#)).body["count"] == 500)
        #expect(try engine.hitIds("logs", #"{"query":{"match":{"message":"499"}}}"#) == ["d499"])
    }
}

extension SearchEngine {
    func matchingIds(_ index: String, _ query: String) throws -> [String] {
        try hitIds(index, #"{"size":100,"query":\#(query)}"#)
    }
}
