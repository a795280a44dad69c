import Testing
import JSONValue
@testable import SearchEngine

@Suite struct BulkRequestTests {
    func bulk(_ engine: SearchEngine, _ lines: [String], defaultIndex: String? = nil, rejections: [Int: ElasticsearchError] = [:]) throws -> JSON {
        try engine.bulk(try BulkRequest.parse(Array((lines.joined(separator: "\n") + "\n").utf8), defaultIndex: defaultIndex), rejections: rejections).body
    }

    @Test func parseExposesActionsAndIndicesBeforeExecution() throws {
        let body = """
        {"index":{"_index":"movies","_id":"1"}}
        {"title":"A"}
        {"create":{"_id":"2"}}
        {"title":"B"}

        {"update":{"_index":"other","_id":"1","if_seq_no":3,"if_primary_term":1}}
        {"doc":{"title":"C"}}
        {"delete":{"_index":"movies","_id":"9"}}

        """
        let request = try BulkRequest.parse(Array(body.utf8), defaultIndex: "logs")
        #expect(request.items.map(\.action) == [.index, .create, .update, .delete])
        #expect(request.items.map(\.index) == ["movies", "logs", "other", "movies"])
        #expect(request.items.map(\.line) == [1, 3, 6, 8])
        #expect(request.items[2].condition == WriteCondition(ifSeqNo: 3, ifPrimaryTerm: 1))
        #expect(request.items[0].source == Array(#"{"title":"A"}"#.utf8))
        #expect(request.indices == ["logs", "movies", "other"])
    }

    @Test(arguments: [
        ("{\"index\":{}}\n{}", "The bulk request must be terminated by a newline [\\n]"),
        ("{\"index\":{\"_index\":\"a\"}}\n{}\n[1]\n", "Malformed action/metadata line [3], expected START_OBJECT or END_OBJECT but found [START_ARRAY]"),
        ("{\"upsert\":{\"_index\":\"a\"}}\n{}\n", "Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [upsert]"),
        ("{\"index\":{\"_index\":\"a\",\"colour\":1}}\n{}\n", "Action/metadata line [1] contains an unknown parameter [colour]"),
        ("{\"delete\":{\"_index\":\"a\",\"_id\":\"1\"}}\n{\"index\":{\"_index\":\"a\"}}\n", "Malformed action/metadata line [2], expected a source line for [index] action"),
    ])
    func malformedLinesFailTheWholeRequestNamingTheLine(body: String, reason: String) throws {
        let error = #expect(throws: ElasticsearchError.self) { try BulkRequest.parse(Array(body.utf8), defaultIndex: nil) }
        #expect(error?.status == 400)
        #expect(error?.type == "illegal_argument_exception")
        #expect(error?.reason == reason)
    }

    @Test func invalidJSONActionLineIsNamed() throws {
        let error = #expect(throws: ElasticsearchError.self) { try BulkRequest.parse(Array("{\"index\":{}}\n{}\n{\"index\":\n".utf8), defaultIndex: "a") }
        #expect(error?.type == "illegal_argument_exception")
        #expect(error?.reason.hasPrefix("Malformed action/metadata line [3], expected START_OBJECT but found invalid JSON: ") == true)
        let empty = #expect(throws: ElasticsearchError.self) { try BulkRequest.parse([], defaultIndex: "a") }
        #expect(empty?.type == "action_request_validation_exception")
        #expect(empty?.reason == "Validation Failed: 1: no requests added;")
    }

    @Test func itemsSucceedOrFailIndependently() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.put("movies", "1", #"{"year":1999}"#)
        let body = try bulk(engine, [
            #"{"index":{"_index":"movies","_id":"2"}}"#, #"{"year":2001}"#,
            #"{"create":{"_index":"movies","_id":"1"}}"#, #"{"year":2002}"#,
            #"{"index":{"_index":"movies","_id":"3"}}"#, #"{"year":"not a number"}"#,
            #"{"update":{"_index":"movies","_id":"2"}}"#, #"{"doc":{"title":"Two"}}"#,
            #"{"delete":{"_index":"movies","_id":"1"}}"#,
            #"{"delete":{"_index":"movies","_id":"404"}}"#,
            #"{"index":{"_index":"Bad"}}"#, #"{}"#,
        ])
        #expect(body["errors"] == true)
        let items = try #require(body["items"]?.arrayValue)
        #expect(items.count == 7)
        let uuid = engine.metadata(of: "movies")!.uuid
        #expect(items[0].serialized() == #"{"index":{"_index":"movies","_type":"_doc","_id":"2","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":1,"_primary_term":1,"status":201}}"#)
        #expect(items[1] == json(#"{"create":{"_index":"movies","_type":"_doc","_id":"1","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[1]: version conflict, document already exists (current version [1])","index_uuid":"\#(uuid)","shard":"0","index":"movies"}}}"#))
        #expect(items[2]["index"]?["status"] == 400)
        #expect(items[2]["index"]?["error"]?["type"] == "mapper_parsing_exception")
        #expect(items[2]["index"]?["error"]?["caused_by"]?["type"] == "number_format_exception")
        #expect(items[3]["update"]?["result"] == "updated")
        #expect(items[3]["update"]?["status"] == 200)
        #expect(items[4]["delete"]?["result"] == "deleted")
        #expect(items[5]["delete"]?["result"] == "not_found")
        #expect(items[5]["delete"]?["status"] == 404)
        #expect(items[5]["delete"]?["error"] == nil)
        #expect(items[6]["index"]?["error"]?["type"] == "invalid_index_name_exception")
        #expect(try engine.get("movies", id: "2").body["_source"] == json(#"{"year":2001,"title":"Two"}"#))
        #expect(try engine.get("movies", id: "3").status == 404)
        #expect(try engine.get("movies", id: "1").status == 404)
        #expect(body["took"]?.intValue != nil)
    }

    @Test func aFailedItemLeavesNoMappingOrDocumentBehind() throws {
        let engine = try SearchEngine(dataPath: nil)
        let body = try bulk(engine, [
            #"{"index":{"_index":"logs","_id":"1"}}"#, #"{"status":200}"#,
            #"{"index":{"_index":"logs","_id":"2"}}"#, #"{"fresh":"new field","status":"broken"}"#,
            #"{"index":{"_index":"logs","_id":"3"}}"#, #"{"status":404,"other":"kept"}"#,
        ])
        #expect(body["items"]?.arrayValue?.map { $0["index"]?["status"] } == [201, 400, 201])
        let properties = try #require(engine.getMapping("logs").body["logs"]?["mappings"]?["properties"]?.objectValue)
        #expect(properties.keys.sorted() == ["other", "status"])
        #expect(try engine.matchingIds("logs", #"{"exists":{"field":"fresh"}}"#) == [])
        #expect(try engine.matchingIds("logs", #"{"range":{"status":{"gte":200}}}"#) == ["1", "3"])
        #expect(try engine.get("logs", id: "3").body["_seq_no"] == 1)
    }

    @Test func replacingAndDeletingDocumentsUpdatesEveryIndexStructure() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try bulk(engine, [
            #"{"index":{"_index":"logs","_id":"a"}}"#, #"{"level":"warn","code":1,"tags":["x","y"]}"#,
            #"{"index":{"_index":"logs","_id":"a"}}"#, #"{"level":"error","code":2,"tags":["y"]}"#,
            #"{"index":{"_index":"logs","_id":"b"}}"#, #"{"level":"warn","code":1}"#,
            #"{"delete":{"_index":"logs","_id":"b"}}"#,
        ])
        #expect(try engine.matchingIds("logs", #"{"term":{"level.keyword":"warn"}}"#) == [])
        #expect(try engine.matchingIds("logs", #"{"match":{"level":"warn"}}"#) == [])
        #expect(try engine.matchingIds("logs", #"{"term":{"code":2}}"#) == ["a"])
        #expect(try engine.matchingIds("logs", #"{"term":{"tags.keyword":"x"}}"#) == [])
        let aggs = try engine.searchBody("logs", #"{"size":0,"aggs":{"codes":{"terms":{"field":"code"}}}}"#)
        #expect(aggs["aggregations"]?["codes"]?["buckets"] == json(#"[{"key":2,"doc_count":1}]"#))
    }

    @Test func rejectedItemsCarryTheCallersErrorAndAreNotExecuted() throws {
        let engine = try SearchEngine(dataPath: nil)
        let forbidden = ElasticsearchError(status: 403, type: "security_exception",
                                           reason: "no permissions for [indices:data/write/bulk[s]] and User [name=client1, backend_roles=[], requestedTenant=null]")
        let body = try bulk(engine, [
            #"{"index":{"_index":"allowed","_id":"1"}}"#, #"{"a":1}"#,
            #"{"index":{"_index":"secret","_id":"1"}}"#, #"{"a":2}"#,
        ], rejections: [1: forbidden])
        #expect(body["errors"] == true)
        #expect(body["items"]?[0]?["index"]?["status"] == 201)
        #expect(body["items"]?[1] == json(#"{"index":{"_index":"secret","_type":"_doc","_id":"1","status":403,"error":{"type":"security_exception","reason":"no permissions for [indices:data/write/bulk[s]] and User [name=client1, backend_roles=[], requestedTenant=null]"}}}"#))
        #expect(engine.indexNames == ["allowed"])
    }

    @Test func filebeatStyleCreateWithoutIdsAutoCreatesTheIndex() throws {
        let engine = try SearchEngine(dataPath: nil)
        let body = try bulk(engine, [
            #"{"create":{"_index":"filebeat-7.10.2-2026.11.29"}}"#,
            #"{"@timestamp":"2026-11-29T10:00:00.000Z","message":"hello world","log":{"offset":0,"file":{"path":"/logs/a.log"}}}"#,
            #"{"create":{"_index":"filebeat-7.10.2-2026.11.29"}}"#,
            #"{"@timestamp":"2026-11-29T10:00:01.000Z","message":"second line","log":{"offset":12,"file":{"path":"/logs/a.log"}}}"#,
        ])
        #expect(body["errors"] == false)
        #expect(body["items"]?.arrayValue?.map { $0["create"]?["status"] } == [201, 201])
        #expect(try engine.count("filebeat-*", body: nil).body == json(#"{"count":2,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}"#))
    }

    /// Compact action lines take a shortcut (BulkActionLine.swift); it must read them exactly as
    /// the general parser reads the same line written with spaces.
    @Test(arguments: [
        #"{"create":{"_index":"logs"}}"#, #"{"index":{"_index":"logs","_id":"a-1"}}"#,
        #"{"delete":{"_index":"logs","_id":"7"}}"#, #"{"update":{"_index":"logs","_id":"x y"}}"#,
    ])
    func compactActionLinesReadAsTheGeneralParserReadsThem(_ compact: String) throws {
        let spaced = compact.replacingOccurrences(of: ":", with: " : ").replacingOccurrences(of: ",", with: " , ")
        let source = compact.contains("delete") ? "" : (compact.contains("update") ? "{\"doc\":{\"a\":1}}\n" : "{\"a\":1}\n")
        #expect(BulkRequest.compactActionLine(ArraySlice(compact.utf8), line: 1) != nil)
        #expect(BulkRequest.compactActionLine(ArraySlice(spaced.utf8), line: 1) == nil)
        let fast = try BulkRequest.parse(Array((compact + "\n" + source).utf8), defaultIndex: "other")
        let general = try BulkRequest.parse(Array((spaced + "\n" + source).utf8), defaultIndex: "other")
        #expect(fast == general)
        #expect(fast.items.first?.index == "logs")
    }

    @Test func incompleteCompactLinesFallBackToTheGeneralErrors() {
        #expect(BulkRequest.compactActionLine(ArraySlice(#"{"delete":{"_index":"logs"}}"#.utf8), line: 1) == nil)
        #expect(BulkRequest.compactActionLine(ArraySlice(#"{"index":{"_index":"lo\"gs"}}"#.utf8), line: 1) == nil)
        #expect(throws: ElasticsearchError.actionValidation(["id is missing"])) {
            try BulkRequest.parse(Array(#"{"delete":{"_index":"logs"}}\#n"#.utf8), defaultIndex: nil)
        }
    }
}
