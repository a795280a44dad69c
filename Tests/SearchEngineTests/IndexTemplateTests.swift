import Foundation
import Testing
import JSONValue
@testable import SearchEngine

/// Legacy index templates: stored, listed, deleted, and applied when an index is created.
@Suite struct IndexTemplateTests {
    func template(_ name: String, _ body: String, order: Int = 0) throws -> IndexTemplate {
        try IndexTemplate(name: name, body: try JSON(parsing: body), order: order)
    }

    @Test func templatesApplyInOrderAndTheRequestWins() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.putTemplate(try template("logs-base", #"{"index_patterns":["logs-*"],"order":0,"settings":{"number_of_replicas":0,"number_of_shards":2},"mappings":{"properties":{"level":{"type":"keyword"},"bytes":{"type":"integer"}}}}"#))
        _ = try engine.putTemplate(try template("logs-web", #"{"index_patterns":"logs-web*","order":5,"version":3,"settings":{"index":{"number_of_shards":"3"}},"mappings":{"properties":{"bytes":{"type":"long"},"path":{"type":"keyword"}}}}"#))
        // The first write creates the index from both templates: order 5 over order 0.
        _ = try engine.put("logs-web-1", "1", #"{"level":"INFO","bytes":5,"path":"/a","message":"hi"}"#)
        let web = try #require(engine.metadata(of: "logs-web-1"))
        #expect(web.numberOfShards == 3 && web.numberOfReplicas == 0)
        #expect(web.mapping.json == (try JSON(parsing: #"{"properties":{"bytes":{"type":"long"},"level":{"type":"keyword"},"message":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},"path":{"type":"keyword"}}}"#)))
        // An explicit create body overrides the templates.
        _ = try engine.createIndex("logs-app", body: try JSON(parsing: #"{"settings":{"index.number_of_replicas":2},"mappings":{"properties":{"level":{"type":"text"}}}}"#))
        let app = try #require(engine.metadata(of: "logs-app"))
        #expect(app.numberOfShards == 2 && app.numberOfReplicas == 2 && app.field("level")?.type == .text && app.field("bytes")?.type == .integer)
        // Names that match no pattern get the defaults.
        _ = try engine.createIndex("movies", body: nil)
        #expect(engine.metadata(of: "movies")?.numberOfReplicas == 1 && engine.metadata(of: "movies")?.mapping.properties.isEmpty == true)

        #expect(try engine.getTemplates("logs-web").body.serialized() == #"{"logs-web":{"order":5,"version":3,"index_patterns":["logs-web*"],"settings":{"index":{"number_of_shards":"3"}},"mappings":{"properties":{"bytes":{"type":"long"},"path":{"type":"keyword"}}},"aliases":{}}}"#)
        #expect(try engine.getTemplates("logs-*").body.objectValue?.keys == ["logs-base", "logs-web"])
        let missing = try engine.getTemplates("nope")
        #expect(missing.status == 404 && missing.body == [:])
        #expect(try engine.getTemplates(nil).status == 200)
        #expect(try engine.getTemplates("_all").status == 404)
        #expect(try engine.deleteTemplate("logs-*").body == ["acknowledged": true])
        #expect(try engine.templates().isEmpty)
        let gone = #expect(throws: ElasticsearchError.self) { try engine.deleteTemplate("logs-base") }
        #expect(gone?.status == 404 && gone?.type == "index_template_missing_exception" && gone?.reason == "index_template [logs-base] missing")
        #expect(try engine.deleteTemplate("*").body == ["acknowledged": true])
    }

    @Test func badTemplatesAreRefusedAndNothingIsStored() throws {
        let engine = try SearchEngine(dataPath: nil)
        func refusal(_ name: String, _ body: String) -> ElasticsearchError? {
            #expect(throws: ElasticsearchError.self) { _ = try engine.putTemplate(try template(name, body)) }
        }
        #expect(refusal("t", #"{"settings":{}}"#)?.reason == "Validation Failed: 1: index patterns are missing;")
        #expect(refusal("T", #"{"index_patterns":["x"]}"#)?.reason == "index_template [T] invalid, cause [Validation Failed: 1: name must be lower cased;]")
        #expect(refusal("t*", #"{"index_patterns":["_x","a?b"]}"#)?.reason
                == #"index_template [t*] invalid, cause [Validation Failed: 1: name must not contain a '*';2: index_pattern [_x] must not start with '_';3: index_pattern [a?b] must not contain the following characters [ , ", *, \, <, |, ,, >, /, ?];]"#)
        #expect(refusal("t", #"{"index_patterns":["x"],"mappings":{"properties":{"ip":{"type":"ip"}}}}"#)?.reason == "No handler for type [ip] declared on field [ip]")
        #expect(refusal("t", #"{"index_patterns":["x"],"aliases":{"a":{}}}"#)?.reason == "aliases in index templates are not supported by this node")
        #expect(refusal("t", #"{"index_patterns":["x"],"colour":"red"}"#).map { ($0.type, $0.reason) } ?? ("", "") == ("parse_exception", "unknown key [colour] in the template "))
        #expect(refusal("t", #"{"index_patterns":["x"],"settings":{"number_of_shards":0}}"#)?.type == "illegal_argument_exception")
        #expect(try engine.templates().isEmpty)
        _ = try engine.putTemplate(try template("t", #"{"index_patterns":["x"]}"#))
        let duplicate = #expect(throws: ElasticsearchError.self) { _ = try engine.putTemplate(try template("t", #"{"index_patterns":["y"]}"#), create: true) }
        #expect(duplicate?.reason == "index_template [t] already exists")
        #expect(try engine.templates().first?.indexPatterns == ["x"])
    }

    @Test func templatesSurviveARestart() throws {
        let path = temporaryDirectory("templates")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let engine = try SearchEngine(dataPath: path)
            _ = try engine.putTemplate(try template("keep", #"{"index_patterns":["k*"],"settings":{"number_of_replicas":0}}"#, order: 7))
        }
        let reopened = try SearchEngine(dataPath: path)
        #expect(try reopened.templates().map(\.order) == [7])
        _ = try reopened.put("kept", "1", #"{"a":1}"#)
        #expect(reopened.metadata(of: "kept")?.numberOfReplicas == 0)
    }
}
