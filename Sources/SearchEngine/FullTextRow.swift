import Foundation
import GRDB
import GRDBSQLite

/// A document's row in the contentless FTS5 table `fts`: its words per column, indexed but not
/// stored.
///
/// Why contentless: `_source` already keeps every text, as Lucene keeps `_source` beside an
/// inverted index that does not store the words again. An FTS5 table with content writes each
/// row's texts once more (its content table, 33 columns wide), and that was about a tenth of a
/// document's cost in `_bulk` (in process, pinned: 60.4–62.1k docs/s with content, 67.4–69.1k
/// without). Nothing reads the words back: searches use the index (`MATCH`, `fts_terms`,
/// `es_bm25`'s column sizes and instances), highlighting works on `_source`.
///
/// The price is deletion. FTS5 removes a contentless row only when told the exact texts it
/// was given (its `'delete'` command). The texts come from the stored `_source`, analysed again
/// under the current mapping (`DocumentMapper(replaying:)`), checked column by column against
/// the row's token counts (`fts_docsize`); when they do not match, the index's own record of
/// the row gives them (`indexedTexts`). See `delete(_:rowid:sizes:replayed:tokenizer:)`.
enum FullTextRow {
    /// Inserts a document's texts at `rowid` (`texts` sorted by column, none repeated).
    static func insert(_ db: Database, rowid: Int64, texts: [(column: Int, text: String)]) throws {
        let fts = try RawStatement(db, insertSQL(texts.map(\.column)))
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

    /// Removes the row at `rowid`, if there is one. `replayed` are the texts its stored source
    /// analyses to now (nil when it no longer analyses).
    static func delete(_ db: Database, rowid: Int64, replayed: [(column: Int, text: String)]?) throws {
        guard let sizes = try Data.fetchOne(db.cachedStatement(sql: "SELECT sz FROM fts_docsize WHERE id = ?"), arguments: [rowid]) else {
            return  // the document had no text field: it never had a row
        }
        try delete(db, rowid: rowid, sizes: sizes, replayed: replayed, tokenizer: try tokenizer(db))
    }

    /// Removes the row at `rowid`, whose `fts_docsize` blob is `sizes`.
    ///
    /// The replayed texts are used only if, column by column, they make exactly the number of
    /// tokens the row has: a column mapped since the document was written (which the replay may
    /// fill) is left out that way, and any other difference — a field that became an object
    /// path, a value that no longer reads as it did — sends the delete to the index's own
    /// record of the row instead. FTS5 takes `'delete'` texts on trust: fewer tokens leave stray
    /// words that still match the document's rowid, more make its column totals drift until
    /// they would go negative, which FTS5 reports as a corrupt database.
    private static func delete(_ db: Database, rowid: Int64, sizes: Data, replayed: [(column: Int, text: String)]?,
                               tokenizer: any FTS5Tokenizer) throws {
        let counts = columnSizes(sizes)
        var texts: [Int: DatabaseValue] = [:]
        var exact = replayed != nil
        for (column, text) in replayed ?? [] where counts.indices.contains(column) && counts[column] > 0 {
            texts[column] = text.databaseValue
            if exact, try tokenCount(text, tokenizer) != counts[column] { exact = false }
        }
        exact = exact && texts.count == counts.lazy.filter { $0 > 0 }.count
        if !exact { texts = try indexedTexts(db, rowid: rowid) }
        let columns = texts.keys.sorted()
        let placeholders = String(repeating: ", ?", count: columns.count)
        let sql = "INSERT INTO fts(fts, rowid\(columns.map { ", c\($0)" }.joined())) VALUES ('delete', ?\(placeholders))"
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments([rowid.databaseValue] + columns.map { texts[$0]! }))
    }

    /// Removes the rows of `index`'s documents, each with its stored source analysed again.
    static func deleteAll(_ db: Database, _ index: IndexMetadata) throws {
        let tokenizer = try tokenizer(db)
        let rows = try Row.fetchCursor(db, sql: "SELECT d.rowid, d.source, s.sz FROM docs d JOIN fts_docsize s ON s.id = d.rowid WHERE d.rowid BETWEEN ? AND ?",
                                       arguments: [index.rowidRange.lowerBound, index.rowidRange.upperBound])
        while let row = try rows.next() {
            let replayed = DocumentStore.storedAnalysis(index, source: [UInt8](row[1] as Data))
            try delete(db, rowid: row[0], sizes: row[2], replayed: replayed?.texts, tokenizer: tokenizer)
        }
    }

    /// The table's tokenizer (`NodeStorage`'s `tokenize` option), to count a text's tokens.
    static func tokenizer(_ db: Database) throws -> any FTS5Tokenizer {
        try db.makeTokenizer(.unicode61(diacritics: .keep))
    }

    /// The number of tokens `tokenizer` makes of `text`: what `fts_docsize` records for a column.
    static func tokenCount(_ text: String, _ tokenizer: any FTS5Tokenizer) throws -> Int {
        var count = 0
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return 0 }
        let code = withUnsafeMutablePointer(to: &count) { counter in
            bytes.withUnsafeMutableBytes { buffer in
                tokenizer.tokenize(context: counter, tokenization: .document,
                                   pText: buffer.baseAddress?.assumingMemoryBound(to: CChar.self), nText: CInt(buffer.count)) { context, _, _, _, _, _ in
                    context?.assumingMemoryBound(to: Int.self).pointee += 1
                    return SQLITE_OK
                }
            }
        }
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot tokenize a full-text value") }
        return count
    }

    /// Empties the table (FTS5 `'delete-all'`): when no document is left, nothing needs replaying.
    static func deleteEverything(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO fts(fts) VALUES('delete-all')")
    }

    /// A row's token count per column from its `fts_docsize` blob: one SQLite varint per
    /// column, in column order.
    static func columnSizes(_ sizes: Data) -> [Int] {
        var counts: [Int] = []
        var position = sizes.startIndex
        while position < sizes.endIndex {
            var value: UInt64 = 0
            var length = 0
            // 1–8 bytes of 7 bits while the high bit is set; a 9th byte gives all its 8 bits.
            while position < sizes.endIndex {
                let byte = sizes[position]
                position += 1
                length += 1
                if length == 9 { value = value << 8 | UInt64(byte); break }
                value = value << 7 | UInt64(byte & 0x7F)
                if byte & 0x80 == 0 { break }
            }
            counts.append(Int(clamping: value))
        }
        return counts
    }

    /// A row's texts rebuilt from the index: its tokens per column in position order, joined by
    /// spaces. Tokenizing that again gives the same tokens at the same positions (`unicode61`
    /// folds case, and folded tokens fold to themselves), which is all `'delete'` needs. It
    /// scans the whole index (fts5vocab cannot look a document up), so it is the last resort.
    static func indexedTexts(_ db: Database, rowid: Int64) throws -> [Int: DatabaseValue] {
        try db.execute(sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_instances USING fts5vocab(main, 'fts', 'instance')")
        var texts: [Int: [UInt8]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT col, term FROM temp.fts_instances WHERE doc = ? ORDER BY col, offset", arguments: [rowid])
        while let row = try rows.next() {
            let name: String = row[0]
            guard let column = Int(name.dropFirst()) else { continue }
            // As bytes: FTS5 cuts a token at 32,768 bytes, which may split a character.
            let term: Data = row[1]
            if texts[column] != nil { texts[column]!.append(UInt8(ascii: " ")) }
            texts[column, default: []].append(contentsOf: term)
        }
        return texts.mapValues { Data($0).databaseValue }
    }

    /// The insert for a set of columns. Documents of one index almost always fill the same
    /// columns, so the statement text of the previous call is reused instead of rebuilt.
    private static func insertSQL(_ columns: [Int]) -> String {
        lastInsert.lock.withLock {
            if lastInsert.columns == columns { return lastInsert.sql }
            let sql = "INSERT INTO fts(rowid, \(columns.map { "c\($0)" }.joined(separator: ", "))) VALUES (?\(String(repeating: ", ?", count: columns.count)))"
            lastInsert.columns = columns
            lastInsert.sql = sql
            return sql
        }
    }

    private final class LastStatement: @unchecked Sendable {
        let lock = NSLock()
        var columns: [Int] = []
        var sql = ""
    }

    private static let lastInsert = LastStatement()
}
