import Foundation
import GRDB
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

    /// The rows of a bulk go in by field and kind, 32 to a statement, texts read in place by
    /// SQLite (`RawStatement.bindInPlace`): every kind of value must come back exactly, across
    /// chunk boundaries, including the empty string (not NULL), text with a space and non-ASCII text.
    @Test func everyKindOfValueIsStoredExactlyAcrossChunks() throws {
        let engine = try SearchEngine(dataPath: nil)
        let tags = ["", "a b", "żółw", "zebra", "ant"]
        var lines: [String] = []
        for number in 0..<100 {
            lines.append(#"{"index":{"_index":"kinds","_id":"\#(number)"}}"#)
            lines.append(#"{"tag":"\#(tags[number % tags.count])","n":\#(number - 50),"x":\#(Double(number) / 4),"ok":\#(number % 2 == 0)}"#)
        }
        let response = try engine.bulk(BulkRequest.parse(Array((lines.joined(separator: "\n") + "\n").utf8), defaultIndex: nil))
        #expect(response.body["errors"] == false)
        #expect(try engine.count("kinds", body: json(#"{"query":{"term":{"tag.keyword":""}}}"#)).body["count"] == 20)
        #expect(try engine.count("kinds", body: json(#"{"query":{"term":{"tag.keyword":"a b"}}}"#)).body["count"] == 20)
        #expect(try engine.count("kinds", body: json(#"{"query":{"term":{"tag.keyword":"żółw"}}}"#)).body["count"] == 20)
        #expect(try engine.count("kinds", body: json(#"{"query":{"range":{"n":{"gte":-50,"lt":-40}}}}"#)).body["count"] == 10)
        #expect(try engine.count("kinds", body: json(#"{"query":{"range":{"x":{"gt":24.5}}}}"#)).body["count"] == 1)
        #expect(try engine.count("kinds", body: json(#"{"query":{"term":{"ok":true}}}"#)).body["count"] == 50)
        let aggregation = try engine.searchBody("kinds", #"{"size":0,"aggs":{"t":{"terms":{"field":"tag.keyword","order":{"_key":"asc"}}},"lo":{"min":{"field":"n"}},"hi":{"max":{"field":"x"}}}}"#)
        #expect(aggregation["aggregations"]?["t"]?["buckets"] == json(#"[{"key":"","doc_count":20},{"key":"a b","doc_count":20},{"key":"ant","doc_count":20},{"key":"zebra","doc_count":20},{"key":"żółw","doc_count":20}]"#))
        #expect(aggregation["aggregations"]?["lo"]?["value"] == -50.0)
        #expect(aggregation["aggregations"]?["hi"]?["value"] == 24.75)
    }

    /// A flush of at least `sortAheadRows` rows sorts fields on a second thread while it inserts
    /// others (`WorkAhead`): every row still arrives, in every field and kind.
    @Test func aLargeFlushSortedAheadStoresEveryRow() throws {
        let engine = try SearchEngine(dataPath: nil)
        let documents = PendingValueRows.sortAheadRows / 3
        var lines: [String] = []
        for number in 0..<documents {
            lines.append(#"{"index":{"_index":"big","_id":"\#(number)"}}"#)
            lines.append(#"{"tag":"t\#((number * 7919) % 97)","n":\#((number * 31) % 1000),"x":\#(Double(number % 50) / 2),"ok":\#(number % 3 == 0)}"#)
        }
        let response = try engine.bulk(BulkRequest.parse(Array((lines.joined(separator: "\n") + "\n").utf8), defaultIndex: nil))
        #expect(response.body["errors"] == false)
        let expectedTags = (0..<documents).filter { ($0 * 7919) % 97 == 5 }.count
        #expect(try engine.count("big", body: json(#"{"query":{"term":{"tag.keyword":"t5"}}}"#)).body["count"] == .int(Int64(expectedTags)))
        let expectedRange = (0..<documents).filter { (($0 * 31) % 1000) < 100 }.count
        #expect(try engine.count("big", body: json(#"{"query":{"range":{"n":{"lt":100}}}}"#)).body["count"] == .int(Int64(expectedRange)))
        #expect(try engine.count("big", body: json(#"{"query":{"range":{"x":{"gte":24.5}}}}"#)).body["count"] == .int(Int64((0..<documents).filter { $0 % 50 == 49 }.count)))
        #expect(try engine.count("big", body: json(#"{"query":{"term":{"ok":true}}}"#)).body["count"] == .int(Int64((0..<documents).filter { $0 % 3 == 0 }.count)))
        let aggregation = try engine.searchBody("big", #"{"size":0,"aggs":{"t":{"cardinality":{"field":"tag.keyword"}}}}"#)
        #expect(aggregation["aggregations"]?["t"]?["value"] == 97)
    }

    /// A rolled-back transaction takes back exactly the rows it added, across fields and kinds,
    /// including a field first held in it; rows held before it stay held.
    @Test func aRollbackTakesBackOnlyItsOwnRows() throws {
        let database = try DatabaseQueue()
        try NodeStorage.migrator.migrate(database)
        try database.writeWithoutTransaction { db in
            let connection = ObjectIdentifier(db)
            defer { PendingValueRows.forget(connection) }
            PendingValueRows.append(db, values: [(1, 10.databaseValue), (2, "kept".databaseValue)], doc: 1, deferrable: true)
            let mark = PendingValueRows.mark(connection)
            PendingValueRows.append(db, values: [(1, 11.databaseValue), (2, "dropped".databaseValue), (3, 2.5.databaseValue)], doc: 2, deferrable: false)
            #expect(PendingValueRows.due(db))
            #expect(PendingValueRows.rollBack(connection, to: mark))
            #expect(!PendingValueRows.due(db))
            PendingValueRows.append(db, values: [(3, 4.5.databaseValue)], doc: 3, deferrable: true)
            try PendingValueRows.flush(db)
            let rows = try Row.fetchAll(db, sql: "SELECT field, v, doc FROM vals ORDER BY field, doc").map { "\($0[0] as Int64) \($0[1] as DatabaseValue) \($0[2] as Int64)" }
            #expect(rows == ["1 10 1", #"2 "kept" 1"#, "3 4.5 3"])
            // A flush inside the transaction ends the batch its mark names: held rows are gone.
            PendingValueRows.append(db, values: [(1, 20.databaseValue)], doc: 4, deferrable: true)
            let second = PendingValueRows.mark(connection)
            try PendingValueRows.flush(db)
            #expect(!PendingValueRows.rollBack(connection, to: second))
        }
    }
}
