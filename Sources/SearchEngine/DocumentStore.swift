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

/// Row-level storage of documents: `docs`, their `fts` row and their `vals` rows, always
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
            let fts = try RawStatement(db, ftsInsertSQL(texts.map(\.column)))
            fts.bind(1, rowid)
            // The texts go to SQLite from one buffer, read in place (`RawStatement.bindInPlace`).
            var bytes: [UInt8] = []
            bytes.reserveCapacity(texts.reduce(0) { $0 + $1.text.utf8.count })
            for entry in texts { bytes.append(contentsOf: entry.text.utf8) }
            try bytes.withUnsafeBufferPointer { buffer in
                var offset = 0
                for (position, entry) in texts.enumerated() {
                    let count = entry.text.utf8.count
                    fts.bindInPlace(Int32(position + 2), UnsafeBufferPointer(rebasing: buffer[offset..<offset + count]))
                    offset += count
                }
                try fts.run(releasingInPlace: 2..<Int32(texts.count + 2))
            }
        }
        // The `vals` rows go in sorted with others at the next refresh (PendingValueRows); those
        // of a document at or below the refresh watermark (a replaced one) before this
        // transaction commits, as recovery re-derives only the documents past it.
        PendingValueRows.append(db, values: analyzed.values, doc: rowid, deferrable: rowid > index.refreshedUpto)
    }

    /// The FTS insert for a set of columns. Documents of one index almost always fill the same
    /// columns, so the statement text of the previous call is reused instead of rebuilt.
    private static func ftsInsertSQL(_ columns: [Int]) -> String {
        lastFTSInsert.lock.withLock {
            if lastFTSInsert.columns == columns { return lastFTSInsert.sql }
            let sql = "INSERT INTO fts(rowid, \(columns.map { "c\($0)" }.joined(separator: ", "))) VALUES (?\(String(repeating: ", ?", count: columns.count)))"
            lastFTSInsert.columns = columns
            lastFTSInsert.sql = sql
            return sql
        }
    }

    private final class LastStatement: @unchecked Sendable {
        let lock = NSLock()
        var columns: [Int] = []
        var sql = ""
    }

    private static let lastFTSInsert = LastStatement()

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

    /// The `vals` rows of a stored source under the index's current mapping (nil if it no longer
    /// parses or maps): what removing a document deletes and what recovery holds again (`Refresh`).
    static func storedValues(_ index: IndexMetadata, source: [UInt8]) -> [(field: Int64, value: DatabaseValue)]? {
        var mapper = DocumentMapper(metadata: index, id: "") { current, _, _ in current }
        guard let json = try? JSON(parsing: source), (try? mapper.analyze(json)) != nil else { return nil }
        return mapper.document.values
    }

    /// The FTS row goes by rowid; the `vals` rows are re-derived from the stored source with the
    /// current mapping (fields are never removed or retyped, so this covers every stored row) and
    /// deleted by primary key. Should the source not map any more, the field ranges are scanned.
    private static func removeSearchRows(_ db: Database, _ index: IndexMetadata, _ document: StoredDocument) throws {
        try PendingValueRows.flush(db)
        try db.cachedStatement(sql: "DELETE FROM fts WHERE rowid = ?").execute(arguments: [document.rowid])
        let delete = try db.cachedStatement(sql: "DELETE FROM vals WHERE field = ? AND v = ? AND doc = ?")
        if let values = storedValues(index, source: document.source) {
            for (field, value) in values {
                try delete.execute(arguments: [field, value, document.rowid])
            }
        } else {
            let ids = index.fields.values.map { String($0.id) }.joined(separator: ", ")
            try db.execute(sql: "DELETE FROM vals WHERE field IN (\(ids)) AND doc = ?", arguments: [document.rowid])
        }
    }
}
