import Foundation
import GRDB
import JSONValue
import Testing
@testable import SearchEngine

/// `Refresh`: new documents' `vals` rows are held in memory across writes and go into the tree at
/// a refresh. Every test here makes the held rows matter: they must be searchable at once, survive
/// a crash and a rollback, never outlive their index, and never tear a search racing a bulk.
@Suite struct RefreshTests {
    static func bulk(_ engine: SearchEngine, index: String, _ range: Range<Int>) throws {
        var body = ""
        for number in range {
            body += #"{"index":{"_index":"\#(index)","_id":"d\#(number)"}}"# + "\n"
            body += #"{"n":\#(number),"tag":"t\#(number % 7)","message":"line \#(number) of the log"}"# + "\n"
        }
        let response = try engine.bulk(BulkRequest.parse(Array(body.utf8), defaultIndex: nil))
        #expect(response.body["errors"] == false)
    }

    static func storedValueRows(_ engine: SearchEngine) throws -> Int {
        try engine.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM vals") ?? -1 }
    }

    /// What only the values answer, for documents d0..<count of `logs`.
    static func expectValuesOf(_ engine: SearchEngine, count: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tagged = (0..<count).filter { $0 % 7 == 3 }.count
        #expect(try engine.count("logs", body: json(#"{"query":{"term":{"tag.keyword":"t3"}}}"#)).body["count"] == .int(Int64(tagged)),
                sourceLocation: sourceLocation)
        #expect(try engine.count("logs", body: json(#"{"query":{"range":{"n":{"gte":0}}}}"#)).body["count"] == .int(Int64(count)),
                sourceLocation: sourceLocation)
        let last = count - 1
        #expect(try engine.hitIds("logs", #"{"query":{"term":{"message.keyword":"line \#(last) of the log"}}}"#) == ["d\(last)"],
                sourceLocation: sourceLocation)
        let top = try engine.searchBody("logs", #"{"size":0,"aggs":{"top":{"max":{"field":"n"}}}}"#)
        #expect(top["aggregations"]?["top"]?["value"] == .double(Double(last)), sourceLocation: sourceLocation)
    }

    @Test func heldRowsAreSearchableAsSoonAsTheWriteIsAcknowledged() throws {
        let directory = temporaryDirectory("refresh-held")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try SearchEngine(dataPath: directory)
        try Self.bulk(engine, index: "logs", 0..<300)
        try Self.bulk(engine, index: "logs", 300..<600)
        // Held, not yet in the tree: the point of holding them.
        #expect(try Self.storedValueRows(engine) == 0)
        let needed = engine.refreshNeeded.load(ordering: .acquiring)
        #expect(needed)
        // Counting every document needs no values: it counts them all and refreshes nothing.
        #expect(try engine.count("logs", body: nil).body["count"] == 600)
        #expect(try Self.storedValueRows(engine) == 0)
        // A search refreshes first, so it finds both bulks by their values.
        try Self.expectValuesOf(engine, count: 600)
        #expect(try Self.storedValueRows(engine) == 600 * 3)
        let stillNeeded = engine.refreshNeeded.load(ordering: .acquiring)
        #expect(!stillNeeded)
        // `_refresh` leaves nothing held either.
        try Self.bulk(engine, index: "logs", 600..<700)
        try engine.refresh()
        #expect(try Self.storedValueRows(engine) == 700 * 3)
        #expect(engine.metadata(of: "logs")?.refreshedUpto == engine.metadata(of: "logs")!.nextRowid - 1)
    }

    /// The engine is released without a refresh — what `kill -9` leaves: documents committed,
    /// their values only in memory. Reopening re-derives them from the stored sources.
    @Test func aCrashWhileRowsAreHeldLosesNoValues() throws {
        let directory = temporaryDirectory("refresh-crash")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let engine = try SearchEngine(dataPath: directory)
            try Self.bulk(engine, index: "logs", 0..<200)
            try Self.expectValuesOf(engine, count: 200)
            try Self.bulk(engine, index: "logs", 200..<500)
            #expect(try Self.storedValueRows(engine) == 200 * 3)
        }
        let reopened = try SearchEngine(dataPath: directory)
        #expect(reopened.metadata(of: "logs")?.refreshedUpto == reopened.metadata(of: "logs")!.rowidRange.lowerBound + 200)
        try Self.expectValuesOf(reopened, count: 500)
        #expect(try Self.storedValueRows(reopened) == 500 * 3)
        // New documents after the recovery get new rowids and their own rows.
        try Self.bulk(reopened, index: "logs", 500..<510)
        try Self.expectValuesOf(reopened, count: 510)
    }

    /// `_delete_by_query` flushes the held rows inside its transaction, then fails on its query:
    /// the rollback takes the flushed rows with it, and the next search must re-derive them.
    @Test func aRolledBackTransactionThatFlushedHeldRowsGivesThemBack() throws {
        let engine = try SearchEngine(dataPath: nil)
        try Self.bulk(engine, index: "logs", 0..<100)
        #expect(throws: ElasticsearchError.self) {
            try engine.deleteByQuery("logs", body: json(#"{"query":{"term":{"n":"not a number"}}}"#))
        }
        #expect(try Self.storedValueRows(engine) == 0)
        try Self.expectValuesOf(engine, count: 100)
        #expect(try Self.storedValueRows(engine) == 100 * 3)
    }

    /// Field ids are reused once an index is deleted: rows held for a deleted index must not
    /// reach the tree under a later index's fields.
    @Test func deletingAnIndexTakesItsHeldRowsAlong() throws {
        let engine = try SearchEngine(dataPath: nil)
        try Self.bulk(engine, index: "old", 0..<50)
        _ = try engine.deleteIndex("old")
        #expect(try Self.storedValueRows(engine) == 0)
        try Self.bulk(engine, index: "logs", 0..<20)
        try Self.expectValuesOf(engine, count: 20)
        #expect(try Self.storedValueRows(engine) == 20 * 3)
    }

    /// A replaced document keeps its rowid, below the watermark: its new rows cannot wait (a
    /// crash would leave it without values), so the write that replaces it flushes.
    @Test func aReplacedDocumentsValuesReachTheTreeWithItsWrite() throws {
        let directory = temporaryDirectory("refresh-replace")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let engine = try SearchEngine(dataPath: directory)
            try Self.bulk(engine, index: "logs", 0..<10)
            try engine.refresh()
            _ = try engine.put("logs", "d3", #"{"n":3,"tag":"replaced","message":"line 3 of the log"}"#)
            #expect(try engine.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM vals WHERE v = 'replaced'")
            } == 1)
        }
        let reopened = try SearchEngine(dataPath: directory)
        #expect(try reopened.hitIds("logs", #"{"query":{"term":{"tag.keyword":"replaced"}}}"#) == ["d3"])
        #expect(try reopened.count("logs", body: json(#"{"query":{"term":{"tag.keyword":"t3"}}}"#)).body["count"] == 0)
    }

    /// A search racing bulks sees whole refreshes: every document it counts has its values
    /// (hits against a `filter` aggregation on a keyword, in the same search).
    @Test(.timeLimit(.minutes(1))) func aSearchRacingBulksNeverSeesDocumentsWithoutTheirValues() throws {
        let directory = temporaryDirectory("refresh-race")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try SearchEngine(dataPath: directory)
        try Self.bulk(engine, index: "logs", 0..<1)
        let writer = Thread {
            for batch in 0..<40 { try? Self.bulk(engine, index: "logs", (1 + batch * 100)..<(1 + (batch + 1) * 100)) }
        }
        writer.start()
        var searches = 0
        var lastTotal: Int64 = 0
        while lastTotal < 4001, searches < 2_000 {
            let body = try engine.searchBody("logs", #"""
                {"size":0,"track_total_hits":true,"aggs":{"valued":{"filter":{"exists":{"field":"message.keyword"}}},
                 "tags":{"value_count":{"field":"tag.keyword"}}}}
                """#)
            let total = body["hits"]?["total"]?["value"]?.intValue ?? -1
            #expect(body["aggregations"]?["valued"]?["doc_count"]?.intValue == total)
            #expect(body["aggregations"]?["tags"]?["value"]?.intValue == total)
            lastTotal = total
            searches += 1
        }
        #expect(lastTotal == 4001)
    }

    /// A data path written before the watermark existed (migration v3): every document there has
    /// its rows, so the watermark starts at each index's last document and nothing is re-derived.
    @Test func aDataPathFromBeforeTheWatermarkStartsFullyRefreshed() throws {
        let directory = temporaryDirectory("refresh-upgrade")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let engine = try SearchEngine(dataPath: directory)
            try Self.bulk(engine, index: "logs", 0..<50)
            try engine.refresh()
        }
        let database = try DatabaseQueue(path: (directory as NSString).appendingPathComponent(NodeStorage.databaseFileName))
        try database.write { db in
            try db.execute(sql: "ALTER TABLE indices DROP COLUMN refreshed_upto")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3-refresh-watermark'")
        }
        try database.close()
        let upgraded = try SearchEngine(dataPath: directory)
        let index = try #require(upgraded.metadata(of: "logs"))
        #expect(index.refreshedUpto == index.rowidRange.lowerBound + 50)
        #expect(index.nextRowid == index.rowidRange.lowerBound + 51)
        try Self.expectValuesOf(upgraded, count: 50)
        #expect(try Self.storedValueRows(upgraded) == 50 * 3)
    }

    /// A refused single-document write (409) rolls back only itself: the rows held for earlier
    /// bulks stay held and nothing has to be re-derived.
    @Test func aRefusedWriteKeepsTheRowsHeldBeforeIt() throws {
        let engine = try SearchEngine(dataPath: nil)
        try Self.bulk(engine, index: "logs", 0..<100)
        let lost = engine.rowsMayBeLost.load(ordering: .relaxed)
        #expect(!lost)
        #expect(throws: ElasticsearchError.self) {
            try engine.index("logs", id: "d5", source: Array(#"{"n":5,"tag":"twice"}"#.utf8), opType: .create)
        }
        let lostAfter = engine.rowsMayBeLost.load(ordering: .relaxed)
        #expect(!lostAfter)
        #expect(try Self.storedValueRows(engine) == 0)
        try Self.expectValuesOf(engine, count: 100)
        #expect(try engine.count("logs", body: json(#"{"query":{"term":{"tag.keyword":"twice"}}}"#)).body["count"] == 0)
    }
}
