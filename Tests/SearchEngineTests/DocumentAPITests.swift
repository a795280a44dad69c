import Testing
import JSONValue
@testable import SearchEngine

@Suite struct DocumentAPITests {
    @Test func indexGetUpdateDeleteLifecycleMatchesElasticsearchShapes() throws {
        let engine = try SearchEngine(dataPath: nil)
        let created = try engine.put("movies", "1", #"{"title":"Up","year":2009}"#)
        #expect(created.status == 201)
        #expect(created.body.serialized() == #"{"_index":"movies","_type":"_doc","_id":"1","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1}"#)

        let fetched = try engine.get("movies", id: "1")
        #expect(fetched.status == 200)
        #expect(fetched.body.serialized() == #"{"_index":"movies","_type":"_doc","_id":"1","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{"title":"Up","year":2009}}"#)

        let replaced = try engine.put("movies", "1", #"{"title":"Up","year":2010}"#)
        #expect(replaced.status == 200)
        #expect(replaced.body["result"] == "updated")
        #expect(replaced.body["_version"] == 2)
        #expect(replaced.body["_seq_no"] == 1)

        let updated = try engine.update("movies", id: "1", body: json(#"{"doc":{"rating":8.3}}"#))
        #expect(updated.body["result"] == "updated")
        #expect(updated.body["_version"] == 3)
        #expect(try engine.get("movies", id: "1").body["_source"]?.serialized() == #"{"title":"Up","year":2010,"rating":8.3}"#)

        let noop = try engine.update("movies", id: "1", body: json(#"{"doc":{"rating":8.3}}"#))
        #expect(noop.body.serialized() == #"{"_index":"movies","_type":"_doc","_id":"1","_version":3,"result":"noop","_shards":{"total":0,"successful":0,"failed":0},"_seq_no":2,"_primary_term":1}"#)

        let deleted = try engine.delete("movies", id: "1")
        #expect(deleted.status == 200)
        #expect(deleted.body["result"] == "deleted")
        #expect(deleted.body["_version"] == 4)
        #expect(deleted.body["_seq_no"] == 3)

        let missing = try engine.get("movies", id: "1")
        #expect(missing.status == 404)
        #expect(missing.body.serialized() == #"{"_index":"movies","_type":"_doc","_id":"1","found":false}"#)
        let again = try engine.delete("movies", id: "1")
        #expect(again.status == 404)
        #expect(again.body["result"] == "not_found")
    }

    @Test func sourceIsReturnedAsSentWithKeyOrder() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.put("docs", "k", #"{"z":1,"a":{"y":[1,2,3],"x":"é/\u00e9"},"m":-0.5,"n":{"b":null}}"#)
        #expect(try engine.get("docs", id: "k").body["_source"]?.serialized() == #"{"z":1,"a":{"y":[1,2,3],"x":"é/é"},"m":-0.5,"n":{"b":null}}"#)
    }

    @Test func emptyStringsAreIndexedAsValues() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("k", body: json(#"{"mappings":{"properties":{"code":{"type":"keyword"}}}}"#))
        _ = try engine.put("k", "1", #"{"code":""}"#)
        _ = try engine.put("k", "2", #"{"code":"a"}"#)
        #expect(try engine.matchingIds("k", #"{"term":{"code":""}}"#) == ["1"])
        #expect(try engine.matchingIds("k", #"{"exists":{"field":"code"}}"#) == ["1", "2"])
    }

    @Test func autoIdsAreTwentyUrlSafeCharacters() throws {
        let engine = try SearchEngine(dataPath: nil)
        let response = try engine.index("logs", id: nil, source: Array(#"{"a":1}"#.utf8))
        let id = try #require(response.body["_id"]?.stringValue)
        #expect(id.count == 20)
        #expect(id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(try engine.get("logs", id: id).body["found"] == true)
    }

    @Test func createRefusesAnExistingIdWith409() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.put("movies", "1", "{}")
        let error = #expect(throws: ElasticsearchError.self) { try engine.index("movies", id: "1", source: Array("{}".utf8), opType: .create) }
        let uuid = engine.metadata(of: "movies")!.uuid
        #expect(error?.status == 409)
        #expect(error?.errorObject == ["type": "version_conflict_engine_exception", "reason": "[1]: version conflict, document already exists (current version [1])",
                                       "index_uuid": .string(uuid), "shard": "0", "index": "movies"])
    }

    @Test func ifSeqNoAndPrimaryTermGuardWrites() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.put("movies", "1", #"{"v":1}"#)
        _ = try engine.put("movies", "1", #"{"v":2}"#)
        let stale = #expect(throws: ElasticsearchError.self) {
            try engine.index("movies", id: "1", source: Array(#"{"v":3}"#.utf8), condition: WriteCondition(ifSeqNo: 0, ifPrimaryTerm: 1))
        }
        #expect(stale?.reason == "[1]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary term [1]")
        let ok = try engine.index("movies", id: "1", source: Array(#"{"v":3}"#.utf8), condition: WriteCondition(ifSeqNo: 1, ifPrimaryTerm: 1))
        #expect(ok.body["_seq_no"] == 2)
        let absent = #expect(throws: ElasticsearchError.self) { try engine.delete("movies", id: "9", condition: WriteCondition(ifSeqNo: 1, ifPrimaryTerm: 1)) }
        #expect(absent?.reason == "[9]: version conflict, required seqNo [1], primary term [1]. but no document was found")
    }

    @Test func updateUpsertsAndReportsMissingDocuments() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("movies", body: nil)
        let missing = #expect(throws: ElasticsearchError.self) { try engine.update("movies", id: "7", body: json(#"{"doc":{"a":1}}"#)) }
        #expect(missing?.status == 404)
        #expect(missing?.type == "document_missing_exception")
        #expect(missing?.reason == "[_doc][7]: document missing")
        let upserted = try engine.update("movies", id: "7", body: json(#"{"doc":{"a":1},"upsert":{"a":0,"n":1}}"#))
        #expect(upserted.status == 201)
        #expect(upserted.body["result"] == "created")
        #expect(try engine.get("movies", id: "7").body["_source"] == json(#"{"a":0,"n":1}"#))
        _ = try engine.update("movies", id: "8", body: json(#"{"doc":{"b":{"c":1}},"doc_as_upsert":true}"#))
        _ = try engine.update("movies", id: "8", body: json(#"{"doc":{"b":{"d":2}}}"#))
        #expect(try engine.get("movies", id: "8").body["_source"] == json(#"{"b":{"c":1,"d":2}}"#))
        let forced = try engine.update("movies", id: "8", body: json(#"{"doc":{"b":{"d":2}},"detect_noop":false}"#))
        #expect(forced.body["result"] == "updated")
        let bad = #expect(throws: ElasticsearchError.self) { try engine.update("movies", id: "8", body: json(#"{"doc":{},"colour":1}"#)) }
        #expect(bad?.type == "x_content_parse_exception")
        #expect(bad?.reason == "[UpdateRequest] unknown field [colour]")
    }

    @Test func getFiltersSourceAndReportsMissingIndex() throws {
        let engine = try SearchEngine.withMovies()
        let filtered = try engine.get("movies", id: "5", sourceFilter: SourceFilter(source: nil, includes: "title,director.*", excludes: nil))
        #expect(filtered.body["_source"]?.serialized() == #"{"title":"Silent Night","director":{"name":"Ann Lee"}}"#)
        let excluded = try engine.get("movies", id: "5", sourceFilter: SourceFilter(source: nil, includes: nil, excludes: "director,year,rating,released"))
        #expect(excluded.body["_source"]?.serialized() == #"{"title":"Silent Night","genre":"horror"}"#)
        let none = try engine.get("movies", id: "5", sourceFilter: SourceFilter(fetch: false))
        #expect(none.body["_source"] == nil)
        #expect(none.body["found"] == true)
        let error = #expect(throws: ElasticsearchError.self) { try engine.get("nope", id: "1") }
        #expect(error?.body == json(#"{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [nope]","resource.type":"index_or_alias","resource.id":"nope","index_uuid":"_na_","index":"nope"}],"type":"index_not_found_exception","reason":"no such index [nope]","resource.type":"index_or_alias","resource.id":"nope","index_uuid":"_na_","index":"nope"},"status":404}"#))
        #expect(engine.exists("movies", id: "1"))
        #expect(!engine.exists("movies", id: "99"))
    }

    @Test func multiGetSupportsDocsAndIdsForms() throws {
        let engine = try SearchEngine.withMovies()
        let request = try MultiGetRequest.parse(json(#"{"docs":[{"_index":"movies","_id":"3","_source":["title"]},{"_index":"nope","_id":"1"},{"_id":"42"}]}"#), defaultIndex: "movies")
        #expect(request.indices == ["movies", "nope"])
        let docs = try #require(try engine.multiGet(request).body["docs"]?.arrayValue)
        #expect(docs.count == 3)
        #expect(docs[0].serialized() == #"{"_index":"movies","_type":"_doc","_id":"3","_version":1,"_seq_no":2,"_primary_term":1,"found":true,"_source":{"title":"Quick Silver"}}"#)
        #expect(docs[1]["error"]?["type"] == "index_not_found_exception")
        #expect(docs[1]["error"]?["root_cause"]?[0]?["reason"] == "no such index [nope]")
        #expect(docs[2]["found"] == false)
        let byIds = try engine.multiGet(try MultiGetRequest.parse(json(#"{"ids":["2","1"]}"#), defaultIndex: "movies"))
        #expect(byIds.body["docs"]?.arrayValue?.compactMap { $0["_id"]?.stringValue } == ["2", "1"])
        let bad = #expect(throws: ElasticsearchError.self) { try MultiGetRequest.parse(json(#"{"ids":["1"]}"#), defaultIndex: nil) }
        #expect(bad?.reason == "Validation Failed: 1: index is missing for doc 0;")
    }

    @Test func documentsThatDoNotFitTheMappingAreRefused() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.put("logs", "1", #"{"status":200}"#)
        let error = #expect(throws: ElasticsearchError.self) { try engine.put("logs", "2", #"{"status":"abc"}"#) }
        #expect(error?.status == 400)
        #expect(error?.type == "mapper_parsing_exception")
        #expect(error?.reason == "failed to parse field [status] of type [long] in document with id '2'. Preview of field's value: 'abc'")
        #expect(error?.causedBy == ["type": "number_format_exception", "reason": #"For input string: "abc""#])
        let broken = #expect(throws: ElasticsearchError.self) { try engine.put("logs", "3", #"{"status":"#) }
        #expect(broken?.type == "mapper_parsing_exception")
        #expect(broken?.causedBy?["type"] == "json_parse_exception")
        #expect(try engine.get("logs", id: "2").status == 404)
        _ = try engine.createIndex("strict", body: json(#"{"mappings":{"dynamic":"strict","properties":{"a":{"type":"keyword"}}}}"#))
        let strict = #expect(throws: ElasticsearchError.self) { try engine.put("strict", "1", #"{"a":"x","b":1}"#) }
        #expect(strict?.type == "strict_dynamic_mapping_exception")
        #expect(strict?.reason == "mapping set to strict, dynamic introduction of [b] within [_doc] is not allowed")
    }
}
