import Foundation
import JSONValue
import Testing
@testable import SearchEngine

/// `GET`/`HEAD` of one document on disk go through `PointReader`'s own read-only connections,
/// without a transaction. They must still be real-time: every acknowledged write — index,
/// update, delete, bulk, deleting and re-creating the index — is visible to the very next read.
@Suite struct PointReadTests {
    @Test func readsOnDiskSeeEveryAcknowledgedWrite() throws {
        let directory = temporaryDirectory("point-read")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try SearchEngine(dataPath: directory)
        #expect(engine.pointReader != nil)
        _ = try engine.put("movies", "1", #"{"title":"Heat","year":1995}"#)

        var got = try engine.get("movies", id: "1")
        #expect(got.status == 200)
        #expect(got.body == json(#"{"_index":"movies","_type":"_doc","_id":"1","_version":1,"_seq_no":0,"_primary_term":1,"found":true,"_source":{"title":"Heat","year":1995}}"#))

        _ = try engine.update("movies", id: "1", body: json(#"{"doc":{"year":1996}}"#))
        got = try engine.get("movies", id: "1", sourceFilter: SourceFilter(source: nil, includes: "year", excludes: nil))
        #expect(got.body == json(#"{"_index":"movies","_type":"_doc","_id":"1","_version":2,"_seq_no":1,"_primary_term":1,"found":true,"_source":{"year":1996}}"#))

        _ = try engine.bulk(BulkRequest.parse(Array("{\"index\":{\"_index\":\"movies\",\"_id\":\"2\"}}\n{\"title\":\"Ronin\"}\n".utf8), defaultIndex: nil))
        #expect(engine.exists("movies", id: "2"))
        #expect(try engine.get("movies", id: "2", sourceFilter: SourceFilter(source: "false", includes: nil, excludes: nil)).body
            == json(#"{"_index":"movies","_type":"_doc","_id":"2","_version":1,"_seq_no":2,"_primary_term":1,"found":true}"#))

        _ = try engine.delete("movies", id: "1")
        got = try engine.get("movies", id: "1")
        #expect(got.status == 404)
        #expect(got.body == json(#"{"_index":"movies","_type":"_doc","_id":"1","found":false}"#))
        #expect(!engine.exists("movies", id: "1"))

        _ = try engine.deleteIndex("movies")
        #expect(throws: ElasticsearchError.self) { try engine.get("movies", id: "2") }
        _ = try engine.put("movies", "3", #"{"title":"Thief"}"#)
        #expect(!engine.exists("movies", id: "2"), "a re-created index does not see the old one's documents")
        #expect(try engine.get("movies", id: "3").body["_version"] == 1)
    }

    /// Ids are bound by length, so an id with U+0000 or non-ASCII text finds its document and
    /// only that one; the empty id finds nothing.
    @Test func idsAreMatchedExactly() throws {
        let directory = temporaryDirectory("point-read-ids")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try SearchEngine(dataPath: directory)
        for id in ["a\u{0}b", "a", "ünïcødé-✓"] { _ = try engine.put("ids", id, #"{"id":"\#(id.unicodeScalars.count)"}"#) }
        #expect(try engine.get("ids", id: "a\u{0}b").body["_source"]?["id"] == "3")
        #expect(try engine.get("ids", id: "a").body["_source"]?["id"] == "1")
        #expect(try engine.get("ids", id: "ünïcødé-✓").body["_source"]?["id"] == "9")
        #expect(!engine.exists("ids", id: ""))
        #expect(!engine.exists("ids", id: "a\u{0}"))
    }
}
