import Foundation
import JSONValue
import Testing
@testable import SearchEngine

@Suite struct PendingValueRowsTests {
    /// `vals` rows of new documents are inserted sorted at the end of the bulk
    /// (`PendingValueRows`); a later item of the same bulk that replaces or deletes one of those
    /// documents must still find and remove its rows, in memory and on disk.
    @Test(arguments: [false, true]) func laterItemsOfABulkSeeEarlierItemsValues(onDisk: Bool) throws {
        let directory = temporaryDirectory("pending-values")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try SearchEngine(dataPath: onDisk ? directory : nil)
        let lines = [
            #"{"index":{"_index":"tags","_id":"1"}}"#, #"{"tag":"a","n":1}"#,
            #"{"update":{"_index":"tags","_id":"1"}}"#, #"{"doc":{"tag":"b","n":2}}"#,
            #"{"index":{"_index":"tags","_id":"2"}}"#, #"{"tag":"c","n":3}"#,
            #"{"delete":{"_index":"tags","_id":"2"}}"#,
            #"{"index":{"_index":"tags","_id":"3"}}"#, #"{"tag":"a","n":1}"#,
            #"{"index":{"_index":"tags","_id":"3"}}"#, #"{"tag":"a","n":4}"#,
        ]
        let response = try engine.bulk(BulkRequest.parse(Array((lines.joined(separator: "\n") + "\n").utf8), defaultIndex: nil))
        #expect(response.body["errors"] == false)
        #expect(try engine.hitIds("tags", #"{"query":{"term":{"tag.keyword":"a"}}}"#) == ["3"])
        #expect(try engine.hitIds("tags", #"{"query":{"term":{"tag.keyword":"b"}}}"#) == ["1"])
        #expect(try engine.hitIds("tags", #"{"query":{"term":{"tag.keyword":"c"}}}"#) == [])
        #expect(try engine.hitIds("tags", #"{"query":{"range":{"n":{"lte":1}}}}"#) == [])
        #expect(try engine.hitIds("tags", #"{"query":{"range":{"n":{"gte":2}}},"sort":["n"]}"#) == ["1", "3"])
        let aggregation = try engine.searchBody("tags", #"{"size":0,"aggs":{"t":{"terms":{"field":"tag.keyword"}}}}"#)
        #expect(aggregation["aggregations"]?["t"]?["buckets"] == json(#"[{"key":"a","doc_count":1},{"key":"b","doc_count":1}]"#))
        #expect(try engine.count("tags", body: nil).body["count"] == 2)
    }
}
