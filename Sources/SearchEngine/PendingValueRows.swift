import Foundation
import GRDB
import Synchronization

/// The `vals` rows of new documents, held until the end of the write transaction and then
/// inserted in key order.
///
/// Why: `vals` is one b-tree clustered by (field, value, doc). A log document brings about seven
/// rows whose values are scattered across that tree (`bytes`, `message.keyword`, ...), so
/// inserting them document by document touched a different leaf page for almost every row. The
/// same rows of a 1,000-document `_bulk` inserted sorted walk each field's part of the tree once,
/// left to right (bench/RESULTS.md, "bulk / raw ceiling").
///
/// Nothing reads `vals` between the insert and the flush except the removal of an existing
/// document's rows, which flushes first (`DocumentStore.removeSearchRows`), and the commit, which
/// `SearchEngine.write` precedes with a flush. A transaction that fails discards its rows.
///
/// Rows are kept per writer connection: every write of an engine runs on its one writer
/// connection under the engine's write lock, so one buffer per connection is one per transaction.
enum PendingValueRows {
    private static let buffers = Mutex<[ObjectIdentifier: [(field: Int64, value: DatabaseValue, doc: Int64)]]>([:])

    static func append(_ db: Database, values: [(field: Int64, value: DatabaseValue)], doc: Int64) {
        guard !values.isEmpty else { return }
        buffers.withLock { buffers in
            buffers[ObjectIdentifier(db), default: []].append(contentsOf: values.lazy.map { ($0.field, $0.value, doc) })
        }
    }

    /// Inserts the held rows, sorted by key, in multi-row statements.
    static func flush(_ db: Database) throws {
        guard var rows = buffers.withLock({ $0.removeValue(forKey: ObjectIdentifier(db)) }), !rows.isEmpty else { return }
        rows.sort { lhs, rhs in
            if lhs.field != rhs.field { return lhs.field < rhs.field }
            if let order = Self.order(lhs.value, rhs.value) { return order }
            return lhs.doc < rhs.doc
        }
        var pending = rows[...]
        while !pending.isEmpty {
            let chunk = pending.prefix(DocumentStore.valuesPerInsert)
            pending = pending.dropFirst(chunk.count)
            let insert = try RawStatement(db, DocumentStore.valuesInsertSQL[chunk.count])
            var position: Int32 = 1
            for row in chunk {
                insert.bind(position, row.field)
                insert.bind(position + 1, row.value)
                insert.bind(position + 2, row.doc)
                position += 3
            }
            try insert.run()
        }
    }

    /// Forgets the rows of a transaction that was rolled back.
    static func discard(_ db: Database) {
        _ = buffers.withLock { $0.removeValue(forKey: ObjectIdentifier(db)) }
    }

    /// SQLite's order of two values (numbers before text before blobs; text by bytes, as the
    /// BINARY collation compares, for NFC text); nil when equal. Only locality depends on it.
    private static func order(_ lhs: DatabaseValue, _ rhs: DatabaseValue) -> Bool? {
        switch (lhs.storage, rhs.storage) {
        case (.int64(let a), .int64(let b)): return a == b ? nil : a < b
        case (.double(let a), .double(let b)): return a == b ? nil : a < b
        case (.int64(let a), .double(let b)): return Double(a) == b ? nil : Double(a) < b
        case (.double(let a), .int64(let b)): return a == Double(b) ? nil : a < Double(b)
        case (.string(let a), .string(let b)):
            // Swift orders NFC text (all ASCII text is) by scalar values, which is UTF-8 byte
            // order, through a memcmp fast path; other text only loses locality.
            return a == b ? nil : a < b
        default:
            let (a, b) = (rank(lhs), rank(rhs))
            return a == b ? nil : a < b
        }
    }

    private static func rank(_ value: DatabaseValue) -> Int {
        switch value.storage {
        case .null: 0
        case .int64, .double: 1
        case .string: 2
        case .blob: 3
        }
    }
}
