import Foundation
import JSONValue
import Testing
@testable import SearchEngine

/// `GET`/`PUT /{index}/_settings` (`IndexSettings`).
@Suite struct IndexSettingsTests {
    @Test func settingsReadNestedFlatOrByName() throws {
        let engine = try SearchEngine.withMovies()
        let index = try #require(engine.metadata(of: "movies"))
        let nested = try engine.getSettings("movies").body
        #expect(nested == json("""
            {"movies":{"settings":{"index":{"creation_date":"\(index.creationDate)","number_of_shards":"1","number_of_replicas":"1",
            "uuid":"\(index.uuid)","version":{"created":"7100299"},"provided_name":"movies"}}}}
            """))
        #expect(try engine.getIndex("movies").body["movies"]?["settings"] == nested["movies"]?["settings"])
        #expect(try engine.getSettings("mov*", names: "index.number_*", flat: true).body
                == json(#"{"movies":{"settings":{"index.number_of_shards":"1","index.number_of_replicas":"1"}}}"#))
        #expect(try engine.getSettings("movies", names: "index.nothing").body == json(#"{"movies":{"settings":{}}}"#))
        #expect(throws: ElasticsearchError.indexNotFound("nope")) { try engine.getSettings("nope") }
    }

    /// Lowering the replicas to 0 turns a one-node cluster green, and survives a restart.
    @Test func replicasUpdateAndPersist() throws {
        let directory = temporaryDirectory("settings")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let engine = try SearchEngine(dataPath: directory)
            _ = try engine.put("logs", "1", #"{"m":"x"}"#)
            #expect(engine.clusterHealth(clusterName: "c").body["status"] == "yellow")
            for body in [#"{"index":{"number_of_replicas":0}}"#, #"{"index.number_of_replicas":"0","refresh_interval":"30s"}"#,
                         #"{"settings":{"number_of_replicas":0,"index":{"refresh_interval":-1}}}"#] {
                #expect(try engine.updateSettings("logs", body: json(body)) == EngineResponse(body: json(#"{"acknowledged":true}"#)))
            }
            #expect(engine.clusterHealth(clusterName: "c").body["status"] == "green")
            #expect(try engine.put("logs", "2", #"{"m":"y"}"#).body["_shards"] == json(#"{"total":1,"successful":1,"failed":0}"#))
        }
        let reopened = try SearchEngine(dataPath: directory)
        #expect(reopened.metadata(of: "logs")?.numberOfReplicas == 0)
        #expect(reopened.clusterHealth(clusterName: "c").body["status"] == "green")
    }

    @Test func staticUnknownAndBadSettingsAreRefusedAndChangeNothing() throws {
        let engine = try SearchEngine.withMovies()
        let uuid = try #require(engine.metadata(of: "movies")?.uuid)
        #expect(throws: ElasticsearchError.illegalArgument("Can't update non dynamic settings [[index.number_of_shards]] for open indices [[movies/\(uuid)]]")) {
            try engine.updateSettings("movies", body: json(#"{"number_of_replicas":0,"number_of_shards":2}"#))
        }
        #expect(throws: ElasticsearchError.illegalArgument("unknown setting [index.colour] please check that any required plugins are installed, or check the breaking changes documentation for removed settings")) {
            try engine.updateSettings("movies", body: json(#"{"index":{"colour":"red"}}"#))
        }
        #expect(throws: ElasticsearchError.illegalArgument("Failed to parse value [-1] for setting [index.number_of_replicas] must be >= 0")) {
            try engine.updateSettings("movies", body: json(#"{"number_of_replicas":-1}"#))
        }
        // An absurd count is refused before anything lists its copies (the node's own bound, ES's for shards).
        #expect(throws: ElasticsearchError.illegalArgument("Failed to parse value [99999999999] for setting [index.number_of_replicas] must be <= 1024")) {
            try engine.updateSettings("movies", body: json(#"{"number_of_replicas":99999999999}"#))
        }
        #expect(throws: ElasticsearchError.illegalArgument("Failed to parse value [many] for setting [index.number_of_replicas]")) {
            try engine.updateSettings("movies", body: json(#"{"number_of_replicas":"many"}"#))
        }
        #expect(throws: ElasticsearchError.illegalArgument("Failed to parse value [1025] for setting [index.number_of_shards] must be <= 1024")) {
            try engine.createIndex("big", body: json(#"{"settings":{"number_of_shards":"1025"}}"#))
        }
        #expect(throws: ElasticsearchError.illegalArgument("Failed to parse value [0] for setting [index.number_of_shards] must be >= 1")) {
            try engine.createIndex("none", body: json(#"{"settings":{"index.number_of_shards":0}}"#))
        }
        #expect(throws: ElasticsearchError.illegalArgument("failed to parse setting [index.refresh_interval] with value [soon] as a time value: unit is missing or unrecognized")) {
            try engine.updateSettings("movies", body: json(#"{"refresh_interval":"soon"}"#))
        }
        #expect(throws: ElasticsearchError(status: 400, type: "parse_exception", reason: "request body is required")) {
            try engine.updateSettings("movies", body: .null)
        }
        #expect(throws: ElasticsearchError.actionValidation(["no settings to update"])) { try engine.updateSettings("movies", body: json("{}")) }
        #expect(engine.metadata(of: "movies")?.numberOfReplicas == 1)
    }
}
