import Foundation
import JSONValue
import Testing
@testable import SearchEngine

/// `_reindex` from local indices: ids kept, op types, conflicts, batches, ES's refusals.
@Suite struct ReindexTests {
    func reindex(_ engine: SearchEngine, _ body: String, refused: ElasticsearchError? = nil) throws -> (Int, JSONObject) {
        let response = try engine.reindex(try ReindexRequest(body: json(body)), refused: refused)
        var object = try #require(response.body.objectValue)
        object["took"] = 0
        return (response.status, object)
    }

    @Test func copiesWhatTheQueryMatchesKeepingIds() throws {
        let engine = try SearchEngine.withMovies()
        let (status, body) = try reindex(engine, #"{"source":{"index":"movies","query":{"range":{"year":{"gte":2005}}}},"dest":{"index":"recent"}}"#)
        #expect(status == 200)
        #expect(JSON.object(body) == json("""
            {"took":0,"timed_out":false,"total":4,"updated":0,"created":4,"deleted":0,"batches":1,"version_conflicts":0,"noops":0,
            "retries":{"bulk":0,"search":0},"throttled_millis":0,"requests_per_second":-1.0,"throttled_until_millis":0,"failures":[]}
            """))
        #expect(try engine.hitIds("recent", #"{"size":10,"sort":["_doc"]}"#) == ["2", "3", "4", "5"])
        #expect(try engine.get("recent", id: "3").body["_source"] == engine.get("movies", id: "3").body["_source"])
        #expect(engine.metadata(of: "recent")?.field("title")?.type == .text)
        // Again: the same ids are updated.
        let (_, again) = try reindex(engine, #"{"source":{"index":"movies","query":{"range":{"year":{"gte":2005}}}},"dest":{"index":"recent"}}"#)
        #expect(again["created"] == 0 && again["updated"] == 4)
        #expect(try engine.get("recent", id: "3").body["_version"] == 2)
    }

    @Test func createOnlyConflictsBatchesAndSourceFiltering() throws {
        let engine = try SearchEngine.withMovies()
        _ = try engine.put("copy", "1", #"{"title":"already here"}"#)
        let (aborted, failed) = try reindex(engine, #"{"source":{"index":"movies","size":2},"dest":{"index":"copy","op_type":"create"}}"#)
        #expect(aborted == 409 && failed["version_conflicts"] == 1 && failed["created"] == 1 && failed["batches"] == 1)
        let failure = try #require(failed["failures"]?[0])
        #expect(failure["index"] == "copy" && failure["id"] == "1" && failure["status"] == 409 && failure["cause"]?["type"] == "version_conflict_engine_exception")
        #expect(try engine.count("copy", body: nil).body["count"] == 2)
        let (proceeded, body) = try reindex(engine, #"{"conflicts":"proceed","source":{"index":"movies","size":2},"dest":{"index":"copy","op_type":"create"}}"#)
        #expect(proceeded == 200 && body["version_conflicts"] == 2 && body["created"] == 3 && body["batches"] == 3 && body["failures"] == [])
        let (_, limited) = try reindex(engine, #"{"max_docs":2,"source":{"index":"movies","size":1,"_source":["title"]},"dest":{"index":"titles"}}"#)
        #expect(limited["total"] == 2 && limited["batches"] == 2)
        #expect(try engine.get("titles", id: "2").body["_source"] == json(#"{"title":"Lazy Dog Days"}"#))
        // A refused destination fails the first batch and writes nothing.
        let refusal = ElasticsearchError(status: 403, type: "security_exception", reason: "no permissions for [indices:data/write/index] and User [name=x]")
        let (forbidden, denied) = try reindex(engine, #"{"source":{"index":"movies","size":3},"dest":{"index":"elsewhere"}}"#, refused: refusal)
        #expect(forbidden == 403 && denied["failures"]?.arrayValue?.count == 3 && denied["created"] == 0)
        #expect(!engine.indexExists("elsewhere"))
    }

    @Test func refusals() throws {
        let engine = try SearchEngine.withMovies()
        func refusal(_ body: String) -> ElasticsearchError? {
            #expect(throws: ElasticsearchError.self) { _ = try engine.reindex(try ReindexRequest(body: json(body))) }
        }
        #expect(refusal(#"{"source":{"index":"movies"},"dest":{"index":"movies"}}"#)?.reason == "Validation Failed: 1: reindex cannot write into an index its reading from [movies];")
        #expect(refusal(#"{"source":{"index":"movies"}}"#)?.reason == "Validation Failed: 1: index must be specified;")
        #expect(refusal(#"{"dest":{"index":"x"}}"#)?.reason == "Validation Failed: 1: use _all if you really want to copy from all existing indexes;")
        #expect(refusal(#"{"source":{"index":"movies"},"dest":{"index":"x"},"script":{"source":"ctx._source.n++"}}"#)?.reason
                == "reindex scripts are not supported by this node; documents are copied as they are")
        #expect(refusal(#"{"source":{"index":"movies","remote":{"host":"http://elsewhere:9200"}},"dest":{"index":"x"}}"#)?.reason
                == "reindex from a remote cluster is not supported by this node")
        #expect(refusal(#"{"source":{"index":"nope"},"dest":{"index":"x"}}"#)?.type == "index_not_found_exception")
        #expect(refusal(#"{"source":{"index":"movies"},"dest":{"index":"x","op_type":"upsert"}}"#)?.reason == "opType must be 'create' or 'index', found: [upsert]")
        #expect(!engine.indexExists("x"))
    }
}
