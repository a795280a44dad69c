import Foundation
import JSONValue
import Testing
@testable import SearchEngine

/// `_field_caps`: searchable/aggregatable per field and type, indices named only on conflicts.
@Suite struct FieldCapabilitiesTests {
    @Test func fieldsOfOneIndex() throws {
        let engine = try SearchEngine.withMovies()
        let body = try engine.fieldCapabilities("movies", fields: "title*,year,director,_id").body
        #expect(body == json("""
            {"indices":["movies"],"fields":{
              "_id":{"_id":{"type":"_id","searchable":true,"aggregatable":true}},
              "director":{"object":{"type":"object","searchable":false,"aggregatable":false}},
              "title":{"text":{"type":"text","searchable":true,"aggregatable":false}},
              "title.keyword":{"keyword":{"type":"keyword","searchable":true,"aggregatable":true}},
              "year":{"long":{"type":"long","searchable":true,"aggregatable":true}}}}
            """))
        let all = try engine.fieldCapabilities("movies", fields: "*").body["fields"]?.objectValue?.keys.map { $0 } ?? []
        #expect(all.contains("released") && all.contains("_source") && all.contains("director.name.keyword"))
    }

    @Test func conflictingTypesNameTheirIndices() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.put("a", "1", #"{"code":7}"#)
        _ = try engine.put("b", "1", #"{"code":"x7"}"#)
        #expect(try engine.fieldCapabilities("a,b", fields: "code").body == json("""
            {"indices":["a","b"],"fields":{"code":{
              "long":{"type":"long","searchable":true,"aggregatable":true,"indices":["a"]},
              "text":{"type":"text","searchable":true,"aggregatable":false,"indices":["b"]}}}}
            """))
        #expect(throws: ElasticsearchError.actionValidation(["specified fields can't be null or empty"])) {
            try engine.fieldCapabilities("a", fields: nil)
        }
        #expect(throws: ElasticsearchError.indexNotFound("nope")) { try engine.fieldCapabilities("nope", fields: "*") }
    }
}
