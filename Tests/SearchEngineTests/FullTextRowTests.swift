import Foundation
import GRDB
import JSONValue
import Testing
@testable import SearchEngine

/// The contentless full-text table (`FullTextRow`): every way a document leaves must remove
/// exactly the entries it was indexed with, or the index keeps stray words (found by searches,
/// counted by BM25) or loses other documents' words.
@Suite struct FullTextRowTests {
    static let mapping = #"{"mappings":{"properties":{"title":{"type":"text"},"body":{"type":"text","fields":{"raw":{"type":"keyword"}}},"tags":{"type":"text"},"n":{"type":"long"}}}}"#

    /// Every term of the full-text index with its document count and occurrences per column:
    /// two indexes holding the same documents list the same rows whatever their history.
    static func vocabulary(_ engine: SearchEngine) throws -> [String] {
        try engine.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT term, col, doc, cnt FROM fts_terms ORDER BY term, col").map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int) \($0[3] as Int)" }
        }
    }

    /// FTS5's own check of its index structure (`rank` 0: a contentless table has no content to
    /// compare), and the number of rows it holds.
    static func expectIntact(_ engine: SearchEngine, rows: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try engine.writer.write { db in try db.execute(sql: "INSERT INTO fts(fts, rank) VALUES('integrity-check', 0)") }
        let stored = try engine.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM fts_docsize") }
        #expect(stored == rows, sourceLocation: sourceLocation)
    }

    @Test func everyWayADocumentLeavesRemovesExactlyItsWords() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("a", body: json(Self.mapping))
        _ = try engine.createIndex("b", body: json(Self.mapping))
        for number in 0..<12 {
            _ = try engine.put("a", "d\(number)", #"{"title":"Title \#(number) alpha","body":"Body words \#(number % 3)","tags":["red","green \#(number)"],"n":\#(number)}"#)
            _ = try engine.put("b", "d\(number)", #"{"title":"Other index \#(number)","body":"only in b"}"#)
        }
        _ = try engine.put("a", "d1", #"{"title":"Replaced one","tags":"blue"}"#)
        _ = try engine.delete("a", id: "d2")
        _ = try engine.update("a", id: "d3", body: json(#"{"doc":{"body":"Updated body"}}"#))
        let byQuery = try engine.deleteByQuery("a", body: json(#"{"query":{"terms":{"n":[4,5]}}}"#))
        #expect(byQuery.body["deleted"] == 2)
        // In one bulk (one transaction): a delete, a replace, and a document written, replaced
        // and another written and deleted while their first rows are still FTS5's pending ones.
        let bulk = [#"{"delete":{"_index":"a","_id":"d6"}}"#, #"{"index":{"_index":"a","_id":"d7"}}"#, #"{"title":"Bulk replaced"}"#,
                    #"{"index":{"_index":"a","_id":"t"}}"#, #"{"title":"first pending","n":20}"#,
                    #"{"index":{"_index":"a","_id":"t"}}"#, #"{"title":"second pending","n":21}"#,
                    #"{"index":{"_index":"a","_id":"u"}}"#, #"{"title":"never seen"}"#,
                    #"{"delete":{"_index":"a","_id":"u"}}"#].joined(separator: "\n") + "\n"
        #expect(try engine.bulk(BulkRequest.parse(Array(bulk.utf8), defaultIndex: nil)).body["errors"] == false)
        #expect(try engine.deleteIndex("b").body == json(#"{"acknowledged":true}"#))

        // The same documents written once into a fresh engine.
        let fresh = try SearchEngine(dataPath: nil)
        _ = try fresh.createIndex("a", body: json(Self.mapping))
        for hit in try engine.searchBody("a", #"{"size":100,"sort":[{"n":"asc"}],"query":{"match_all":{}}}"#)["hits"]!["hits"]!.arrayValue! {
            _ = try fresh.index("a", id: hit["_id"]!.stringValue!, source: Array(hit["_source"]!.serialized().utf8))
        }
        #expect(try engine.count("a", body: nil).body["count"] == 9)
        #expect(try Self.vocabulary(engine) == Self.vocabulary(fresh))
        let vocabulary = try Self.vocabulary(engine)
        #expect(vocabulary.contains("replaced c2 2 2"), "\(vocabulary)")
        #expect(!vocabulary.contains { $0.hasPrefix("other ") || $0.hasPrefix("alpha c2 12") || $0.hasPrefix("first ") || $0.hasPrefix("never ") })
        #expect(vocabulary.contains("pending c2 1 1"))
        try Self.expectIntact(engine, rows: 9)
        #expect(try engine.matchingIds("a", #"{"match":{"title":"alpha"}}"#).sorted() == ["d0", "d10", "d11", "d3", "d8", "d9"])
    }

    /// A field mapped after a document was written (`dynamic: false`, then `PUT _mapping`) was
    /// not indexed for it: removing that document must leave the field's words of later
    /// documents alone, even once the mapping turns `strict`.
    @Test func aFieldMappedLaterIsLeftOutOfAnOlderDocumentsDeletion() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("notes", body: json(#"{"mappings":{"dynamic":false,"properties":{"title":{"type":"text"}}}}"#))
        _ = try engine.put("notes", "old", #"{"title":"alpha","notes":"bravo charlie","extra":{"deep":1}}"#)
        _ = try engine.putMapping("notes", body: json(#"{"dynamic":"strict","properties":{"notes":{"type":"text"}}}"#))
        _ = try engine.put("notes", "new", #"{"title":"delta","notes":"bravo"}"#)
        #expect(try engine.matchingIds("notes", #"{"match":{"notes":"bravo"}}"#) == ["new"])

        _ = try engine.delete("notes", id: "old")
        #expect(try Self.vocabulary(engine) == ["bravo c1 1 1", "delta c0 1 1"])
        #expect(try engine.matchingIds("notes", #"{"match":{"notes":"bravo"}}"#) == ["new"])
        try Self.expectIntact(engine, rows: 1)
        _ = try engine.delete("notes", id: "new")
        #expect(try Self.vocabulary(engine) == [])
        try Self.expectIntact(engine, rows: 0)
    }

    /// The last resort when a stored source no longer analyses: the texts rebuilt from the index
    /// itself remove the row as exactly as the replayed ones.
    @Test func textsRebuiltFromTheIndexRemoveTheRowExactly() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("a", body: json(Self.mapping))
        _ = try engine.put("a", "keep", #"{"title":"Shared Words here","body":"kept"}"#)
        _ = try engine.put("a", "go", #"{"title":"Shared words, ÉCOLE école!","tags":["x y","z"],"body":"gone gone"}"#)
        let rowid = try #require(try engine.writer.read { db in try Int64.fetchOne(db, sql: "SELECT rowid FROM docs WHERE doc_id = 'go'") })
        let rebuilt = try engine.writer.write { db in try FullTextRow.indexedTexts(db, rowid: rowid) }
        #expect(rebuilt == [0: Data("gone gone".utf8).databaseValue, 1: Data("x y z".utf8).databaseValue,
                            2: Data("shared words école école".utf8).databaseValue])
        try engine.writer.write { db in
            try FullTextRow.delete(db, rowid: rowid, replayed: nil)
            try db.execute(sql: "DELETE FROM docs WHERE rowid = ?", arguments: [rowid])
        }
        #expect(try Self.vocabulary(engine) == ["here c2 1 1", "kept c0 1 1", "shared c2 1 1", "words c2 1 1"])
        try Self.expectIntact(engine, rows: 1)
    }

    /// A stored source whose replay leaves a column empty that its row filled (analysis changed
    /// since it was written, here its `_source` edited under the engine): the index says what to
    /// remove.
    @Test func aColumnTheReplayMissesIsRemovedAsTheIndexHasIt() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("a", body: json(Self.mapping))
        _ = try engine.put("a", "x", #"{"title":"alpha beta","body":"gamma"}"#)
        try engine.writer.write { db in try db.execute(sql: #"UPDATE docs SET source = CAST('{"title":"alpha beta"}' AS BLOB)"#) }
        _ = try engine.delete("a", id: "x")
        #expect(try Self.vocabulary(engine) == [])
        try Self.expectIntact(engine, rows: 0)
    }

    /// The texts a value gives a text column: deletes replay them on sources written by any
    /// earlier certlab, so they may never change.
    @Test func theTextAValueGivesIsFixed() {
        let texts: [(JSON, String?)] = [(.string("Quick Fox"), "Quick Fox"), (.int(42), "42"), (.int(-7), "-7"),
                                        (.double(1), "1.0"), (.double(0.001), "0.001"), (.double(1e7), "1.0E7"),
                                        (.double(-1.5e-5), "-1.5E-5"), (.bool(true), "true"), (.bool(false), "false"),
                                        (.null, nil), (json(#"{"a":1}"#), nil), (json("[1]"), nil)]
        for (value, text) in texts { #expect(DocumentMapper.text(of: value) == text, "\(value)") }
        var document = AnalyzedDocument()
        document.addText("first", column: 3)
        document.addText("second", column: 3)
        #expect(document.texts.map(\.text) == ["first\nsecond"])
    }

    @Test func columnSizesDecodeAsSQLiteVarints() {
        #expect(FullTextRow.columnSizes(Data([0, 3, 0, 0x81, 0x00, 0x7F])) == [0, 3, 0, 128, 127])
        #expect(FullTextRow.columnSizes(Data([0, 0])) == [0, 0])
        #expect(FullTextRow.columnSizes(Data(repeating: 0x80, count: 8) + [0x01, 0x00]) == [1, 0])
    }

    @Test func tokensAreCountedAsTheTableCountsThem() throws {
        let engine = try SearchEngine(dataPath: nil)
        try engine.writer.read { db in
            let tokenizer = try FullTextRow.tokenizer(db)
            #expect(try FullTextRow.tokenCount("", tokenizer) == 0)
            #expect(try FullTextRow.tokenCount("Shared words, ÉCOLE école!", tokenizer) == 4)
            #expect(try FullTextRow.tokenCount("x y\nz", tokenizer) == 3)
            #expect(try FullTextRow.tokenCount("--- ... !!!", tokenizer) == 0)
        }
    }

    /// An update is analysed from the bytes it stores: a number too large for a double is
    /// `null` there, so it is no word of the document (it used to index as "null" and then
    /// outlive the next update).
    @Test func anUpdateIndexesWhatItStores() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("a", body: json(Self.mapping))
        _ = try engine.put("a", "x", #"{"title":"first"}"#)
        _ = try engine.update("a", id: "x", body: json(#"{"doc":{"title":["kept",1e400]}}"#))
        #expect(try engine.matchingIds("a", #"{"match":{"title":"null"}}"#) == [])
        #expect(try engine.matchingIds("a", #"{"match":{"title":"kept"}}"#) == ["x"])
        _ = try engine.update("a", id: "x", body: json(#"{"doc":{"title":"other"}}"#))
        #expect(try Self.vocabulary(engine) == ["other c2 1 1"])
        try Self.expectIntact(engine, rows: 1)
    }

    /// A replay that gives a column more tokens than the row has (a dotted field name whose
    /// first part became an object path later, so a value the write skipped now joins it) goes
    /// to the index's record of the row instead.
    @Test func aReplayWithMoreTokensThanTheRowIsNotTrusted() throws {
        let engine = try SearchEngine(dataPath: nil)
        _ = try engine.createIndex("d", body: json(#"{"mappings":{"dynamic":false,"properties":{"a.b":{"type":"text"}}}}"#))
        _ = try engine.put("d", "x", #"{"a":{"b":"hidden"},"a.b":"shown"}"#)
        _ = try engine.put("d", "y", #"{"a.b":"shown too"}"#)
        _ = try engine.putMapping("d", body: json(#"{"properties":{"a":{"properties":{"c":{"type":"keyword"}}}}}"#))
        _ = try engine.delete("d", id: "x")
        #expect(try Self.vocabulary(engine) == ["shown c0 1 1", "too c0 1 1"])
        try Self.expectIntact(engine, rows: 1)
        _ = try engine.delete("d", id: "y")
        #expect(try Self.vocabulary(engine) == [])
    }

    /// Deleting the last index with documents empties the table at once; deleting one beside
    /// another removes only its rows.
    @Test func deletingIndicesLeavesOnlyTheOthersWords() throws {
        let directory = temporaryDirectory("full-text-rows")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try SearchEngine(dataPath: directory)
        try RefreshTests.bulk(engine, index: "one", 0..<50)
        try RefreshTests.bulk(engine, index: "two", 50..<80)
        _ = try engine.put("empty", "x", #"{"n":1}"#)
        let onlyTwo = try SearchEngine(dataPath: nil)
        try RefreshTests.bulk(onlyTwo, index: "two", 50..<80)
        #expect(try engine.deleteIndex("one").body == json(#"{"acknowledged":true}"#))
        #expect(try Self.vocabulary(engine) == Self.vocabulary(onlyTwo))
        try Self.expectIntact(engine, rows: 30)
        #expect(try engine.deleteIndex("two,empty").body == json(#"{"acknowledged":true}"#))
        #expect(try Self.vocabulary(engine) == [])
        try Self.expectIntact(engine, rows: 0)
    }

    /// A data directory written before the table was contentless (migration v3) moves its rows
    /// over with the texts they were indexed with: searches find them and deletes remove them.
    @Test func aContentTableFromBeforeMovesOverIntact() throws {
        let directory = temporaryDirectory("full-text-migration")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let engine = try SearchEngine(dataPath: directory)
            try RefreshTests.bulk(engine, index: "logs", 0..<40)
        }
        // Put the table back as v3 left it: with content, the rows' texts stored in it.
        let path = directory + "/" + NodeStorage.databaseFileName
        try DatabaseQueue(path: path).write { db in
            let columns = (0..<IndexMetadata.textFieldLimit).map { "c\($0)" }.joined(separator: ", ")
            let texts = try Row.fetchAll(db, sql: "SELECT path, fts_column FROM fields WHERE fts_column IS NOT NULL")
            #expect(texts.count == 2)
            try db.execute(sql: """
                DROP TABLE fts_terms; DROP TABLE fts;
                CREATE VIRTUAL TABLE fts USING fts5(\(columns), tokenize = 'unicode61 remove_diacritics 0');
                CREATE VIRTUAL TABLE fts_terms USING fts5vocab(fts, 'col');
                INSERT INTO fts(rowid, \(texts.map { "c\($0[1] as Int)" }.joined(separator: ", ")))
                    SELECT rowid, \(texts.map { "json_extract(CAST(source AS TEXT), '$.\($0[0] as String)')" }.joined(separator: ", ")) FROM docs;
                DELETE FROM grdb_migrations WHERE identifier = 'v4-contentless-full-text';
                """)
        }
        let engine = try SearchEngine(dataPath: directory)
        let contentTables = try engine.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'fts_content'") }
        #expect(contentTables == 0)
        #expect(try engine.matchingIds("logs", #"{"match":{"message":"7"}}"#) == ["d7"])
        for number in 0..<20 { _ = try engine.delete("logs", id: "d\(number)") }
        let expected = try SearchEngine(dataPath: nil)
        try RefreshTests.bulk(expected, index: "logs", 20..<40)
        #expect(try Self.vocabulary(engine) == Self.vocabulary(expected))
        try Self.expectIntact(engine, rows: 20)
    }
}
