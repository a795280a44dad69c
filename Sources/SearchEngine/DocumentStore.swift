import Foundation
import GRDB
import JSONValue

/// A stored document's bookkeeping (and `_source` when asked for).
struct StoredDocument {
    var rowid: Int64
    var version: Int64
    var seqNo: Int64
    var source: [UInt8]
}

/// Row-level storage of documents: `docs`, their `fts` row (`FullTextRow`) and their `vals` rows, always
/// changed together inside the caller's transaction.
enum DocumentStore {
    static func lookup(_ db: Database, index: Int64, id: String, withSource: Bool) throws -> StoredDocument? {
        let sql = withSource
            ? "SELECT rowid, version, seq_no, source FROM docs WHERE index_id = ? AND doc_id = ?"
            : "SELECT rowid, version, seq_no FROM docs WHERE index_id = ? AND doc_id = ?"
        let statement = try db.cachedStatement(sql: sql)
        guard let row = try Row.fetchOne(statement, arguments: [index, id]) else { return nil }
        let source: [UInt8] = withSource ? [UInt8](row[3] as Data) : []
        return StoredDocument(rowid: row[0], version: row[1], seqNo: row[2], source: source)
    }

    /// Inserts (at `newRowid`) or replaces a document and its search rows. `existing` must
    /// carry its source when replacing (its `vals` rows are derived from it).
    static func put(_ db: Database, index: IndexMetadata, id: String, version: Int64, seqNo: Int64, newRowid: Int64,
                    source: [UInt8], analyzed: AnalyzedDocument, replacing existing: StoredDocument?) throws {
        let rowid: Int64
        if let existing {
            rowid = existing.rowid
            try removeSearchRows(db, index, existing)
            let update = try RawStatement(db, "UPDATE docs SET version = ?, seq_no = ?, source = ? WHERE rowid = ?")
            update.bind(1, version)
            update.bind(2, seqNo)
            update.bind(3, source)
            update.bind(4, rowid)
            try update.run()
        } else {
            rowid = newRowid
            let insert = try RawStatement(db, "INSERT INTO docs(rowid, index_id, doc_id, version, seq_no, source) VALUES (?, ?, ?, ?, ?, ?)")
            insert.bind(1, rowid)
            insert.bind(2, index.id)
            insert.bind(3, id)
            insert.bind(4, version)
            insert.bind(5, seqNo)
            try source.withUnsafeBufferPointer { bytes in
                insert.bindBlobInPlace(6, bytes)
                try insert.run(releasingInPlace: CollectionOfOne(6))
            }
        }
        if !analyzed.texts.isEmpty {
            var texts = analyzed.texts
            if !texts.indices.dropFirst().allSatisfy({ texts[$0 - 1].column < texts[$0].column }) { texts.sort { $0.column < $1.column } }
            try FullTextRow.insert(db, rowid: rowid, texts: texts)
        }
        // The `vals` rows go in sorted with others at the next refresh (PendingValueRows); those
        // of a document at or below the refresh watermark (a replaced one) before this
        // transaction commits, as recovery re-derives only the documents past it.
        PendingValueRows.append(db, values: analyzed.values, doc: rowid, deferrable: rowid > index.refreshedUpto)
    }

    /// At most this many `vals` rows per INSERT statement (3 parameters each): one statement
    /// execution for many rows costs about half as much per row as one per row.
    static let valuesPerInsert = 32

    /// `valuesInsertSQL[n]` inserts n `vals` rows; duplicates (a value repeated in an array) are ignored.
    static let valuesInsertSQL: [String] = (0...valuesPerInsert).map { count in
        // Compact text: GRDB's statement cache hashes it on every call.
        "INSERT OR IGNORE INTO vals(field,v,doc)VALUES" + Array(repeating: "(?,?,?)", count: count).joined(separator: ",")
    }

    /// Deletes a document (whose `source` was read) and its search rows.
    static func remove(_ db: Database, _ index: IndexMetadata, _ document: StoredDocument) throws {
        try removeSearchRows(db, index, document)
        try db.cachedStatement(sql: "DELETE FROM docs WHERE rowid = ?").execute(arguments: [document.rowid])
    }

    /// What a stored source analyses to under the index's current mapping (nil if it no longer
    /// parses): the rows removing a document deletes and recovery holds again (`Refresh`).
    static func storedAnalysis(_ index: IndexMetadata, source: [UInt8]) -> AnalyzedDocument? {
        var mapper = DocumentMapper(replaying: index)
        guard let json = try? JSON(parsing: source), (try? mapper.analyze(json)) != nil else { return nil }
        return mapper.document
    }

    /// Both the full-text row and the `vals` rows are re-derived from the stored source with the
    /// current mapping (fields are never removed or retyped, so this covers every stored row):
    /// the former is deleted with its texts (`FullTextRow.delete`), the latter by primary key.
    /// Should the source not analyse any more, the field ranges are scanned for `vals` rows.
    private static func removeSearchRows(_ db: Database, _ index: IndexMetadata, _ document: StoredDocument) throws {
        try PendingValueRows.flush(db)
        let stored = storedAnalysis(index, source: document.source)
        try FullTextRow.delete(db, rowid: document.rowid, replayed: stored?.texts)
        let delete = try db.cachedStatement(sql: "DELETE FROM vals WHERE field = ? AND v = ? AND doc = ?")
        if let values = stored?.values {
            for (field, value) in values {
                try delete.execute(arguments: [field, value, document.rowid])
            }
        } else {
            let ids = index.fields.values.map { String($0.id) }.joined(separator: ", ")
            try db.execute(sql: "DELETE FROM vals WHERE field IN (\(ids)) AND doc = ?", arguments: [document.rowid])
        }
    }
}
