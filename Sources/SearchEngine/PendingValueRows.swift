import Foundation
import GRDB
import Synchronization

/// The `vals` rows of new documents, held in memory and inserted later in key order: at the
/// next refresh (`Refresh`), at the latest a second after the first of them was held.
///
/// Why: `vals` is one b-tree clustered by (field, value, doc). A log document brings several
/// rows whose values are scattered across that tree (`bytes`, `message.keyword`, ...), so
/// inserting them document by document touched a different leaf page for almost every row. The
/// rows of a 1,000-document `_bulk` inserted sorted walk each field's part of the tree once, left
/// to right; but a high-cardinality keyword still dirties a leaf page per distinct value, in every
/// bulk (`message.keyword` of 1,000 log lines: ~770 pages, more than half a bulk's time). Held
/// across bulks as ES holds documents in its indexing buffer until a refresh, the same pages are
/// written once per refresh instead (bench/RESULTS.md, "bulk / raw ceiling").
///
/// Rows are kept by field and by kind of value (integers, reals, text), the way the mapper
/// produces them: a field holds one kind, so each list sorts on plain values instead of
/// comparing `DatabaseValue`s (that comparison was a tenth of the flush).
///
/// Only rows of documents past their index's refresh watermark are held beyond their own
/// transaction: those can be re-derived from their stored sources should the process die
/// (`SearchEngine.rederiveHeldRows`). Rows of a replaced document (whose rowid is below the
/// watermark) make the transaction flush before it commits. Whatever reads `vals` flushes first: searches refresh
/// before they read, the removal of an existing document's rows flushes
/// (`DocumentStore.removeSearchRows`), and so do writes that search (`SearchEngine.write`).
///
/// Rows are kept per writer connection: every write of an engine runs on its one writer
/// connection under the engine's write lock. The engine forgets its connection's rows when it
/// is released (`forget`), so that no later connection at the same address inherits them.
enum PendingValueRows {
    private static let buffers = Mutex<[ObjectIdentifier: Batch]>([:])

    /// Holds a document's rows. `deferrable`: the document is new (past the refresh watermark);
    /// otherwise the rows must reach the tree before this transaction commits.
    static func append(_ db: Database, values: [(field: Int64, value: DatabaseValue)], doc: Int64, deferrable: Bool) {
        guard !values.isEmpty else { return }
        buffers.withLock { buffers in
            buffers[ObjectIdentifier(db), default: Batch()].append(values, doc: doc, deferrable: deferrable)
        }
    }

    /// Whether rows are held for this connection.
    static func isEmpty(_ db: Database) -> Bool { isEmpty(ObjectIdentifier(db)) }

    static func isEmpty(_ connection: ObjectIdentifier) -> Bool {
        buffers.withLock { ($0[connection]?.count ?? 0) == 0 }
    }

    /// Whether the held rows must go in before the transaction commits: some cannot be
    /// re-derived after a crash, there are `maximumHeldRows` of them, or the oldest has waited
    /// `refreshInterval`.
    static func due(_ db: Database) -> Bool {
        buffers.withLock { buffers in
            guard let batch = buffers[ObjectIdentifier(db)], batch.count > 0 else { return false }
            return batch.mustFlush || batch.count >= maximumHeldRows
                || batch.heldSince.map { ContinuousClock.now - $0 >= refreshInterval } ?? false
        }
    }

    /// ES's default `index.refresh_interval`.
    static let refreshInterval = Duration.seconds(1)

    /// At most this many rows wait for a refresh (~60,000 log documents, ~10 MB): bounds memory
    /// and the work of re-deriving them after a crash.
    static let maximumHeldRows = 250_000

    /// Inserts the held rows, field by field and sorted within each, in multi-row statements.
    /// With many rows a second thread sorts the next fields while this one inserts (`WorkAhead`):
    /// sorting was a fifth of a bulk writer's own work.
    static func flush(_ db: Database) throws {
        guard let batch = buffers.withLock({ $0.removeValue(forKey: ObjectIdentifier(db)) }) else { return }
        let fields = zip(batch.fields, batch.rows).sorted { $0.0 < $1.0 }
        let ahead = batch.count >= sortAheadRows && availableProcessors > 1
            ? WorkAhead(count: fields.count, chunkSize: 1, lookahead: fields.count) { fields[$0].1.sorted() }
            : nil
        defer { ahead?.finish() }
        for (position, (field, rows)) in fields.enumerated() {
            let sorted = ahead?.result(at: position) ?? rows.sorted()
            try insert(db, field: field, sorted.integers) { $0.bind($1, $2) }
            try insert(db, field: field, sorted.reals) { $0.bind($1, $2) }
            try insertTexts(db, field: field, sorted.texts)
            try insert(db, field: field, sorted.others) { $0.bind($1, $2) }
        }
    }

    /// Below this many rows (a bulk of a few hundred documents) a flush sorts in line.
    static let sortAheadRows = 2_000

    /// Forgets a connection's rows: the connection is closing.
    static func forget(_ connection: ObjectIdentifier) {
        _ = buffers.withLock { $0.removeValue(forKey: connection) }
    }

    /// What was held when a transaction began, so that its rollback can take back exactly the
    /// rows it added (a refused single-document write must not cost a re-derivation).
    struct Mark {
        fileprivate var batch: UInt64?
        fileprivate var lengths: [FieldRows.Lengths] = []
        fileprivate var count = 0
        fileprivate var mustFlush = false
    }

    static func mark(_ connection: ObjectIdentifier) -> Mark {
        buffers.withLock { buffers in
            guard let batch = buffers[connection] else { return Mark() }
            return Mark(batch: batch.serial, lengths: batch.rows.map(\.lengths), count: batch.count, mustFlush: batch.mustFlush)
        }
    }

    /// After a rollback: drops the rows added since `mark`. False when rows held before it are
    /// gone too (a flush inside the transaction took them into the tree, and the rollback out
    /// of it): the caller must re-derive them (`Refresh`).
    static func rollBack(_ connection: ObjectIdentifier, to mark: Mark) -> Bool {
        buffers.withLock { buffers in
            guard let held = mark.batch else {
                buffers.removeValue(forKey: connection)
                return true
            }
            guard var batch = buffers[connection], batch.serial == held else {
                buffers.removeValue(forKey: connection)
                return false
            }
            batch.truncate(to: mark)
            buffers[connection] = batch
            return true
        }
    }

    private static let serials = Atomic<UInt64>(0)

    private static func insert<Value>(_ db: Database, field: Int64, _ rows: [(Value, Int64)],
                                      bind: (RawStatement, Int32, Value) -> Void) throws {
        for chunk in rows.chunks(of: DocumentStore.valuesPerInsert) {
            let insert = try RawStatement(db, DocumentStore.valuesInsertSQL[chunk.count])
            var position: Int32 = 1
            for (value, doc) in chunk {
                insert.bind(position, field)
                bind(insert, position + 1, value)
                insert.bind(position + 2, doc)
                position += 3
            }
            try insert.run()
        }
    }

    /// Text rows: a chunk's values are copied once into one buffer that SQLite reads in place,
    /// instead of SQLite allocating and freeing a copy of every value.
    private static func insertTexts(_ db: Database, field: Int64, _ rows: [(String, Int64)]) throws {
        var bytes: [UInt8] = []
        for chunk in rows.chunks(of: DocumentStore.valuesPerInsert) {
            let insert = try RawStatement(db, DocumentStore.valuesInsertSQL[chunk.count])
            bytes.removeAll(keepingCapacity: true)
            for (text, _) in chunk { bytes.append(contentsOf: text.utf8) }
            try bytes.withUnsafeBufferPointer { buffer in
                var position: Int32 = 1
                var offset = 0
                for (text, doc) in chunk {
                    let count = text.utf8.count
                    insert.bind(position, field)
                    insert.bindInPlace(position + 1, UnsafeBufferPointer(rebasing: buffer[offset..<offset + count]))
                    insert.bind(position + 2, doc)
                    offset += count
                    position += 3
                }
                try insert.run(releasingInPlace: stride(from: Int32(2), to: position, by: 3))
            }
        }
    }

    /// The rows held until the next flush. Documents bring their fields in the same order, so the
    /// field after the last one used is tried before the position table.
    private struct Batch {
        var fields: [Int64] = []
        var rows: [FieldRows] = []
        var positions: [Int64: Int] = [:]
        var cursor = 0
        /// Rows held, all fields together.
        var count = 0
        /// Some rows cannot be re-derived after a crash (see `append`).
        var mustFlush = false
        /// When the first row was held.
        var heldSince: ContinuousClock.Instant?
        /// Tells batches apart: a flush or a forget ends one (`Mark`).
        let serial = PendingValueRows.serials.add(1, ordering: .relaxed).newValue

        mutating func truncate(to mark: Mark) {
            for field in fields[mark.lengths.count...] { positions[field] = nil }
            fields.removeSubrange(mark.lengths.count...)
            rows.removeSubrange(mark.lengths.count...)
            for (position, lengths) in mark.lengths.enumerated() { rows[position].truncate(to: lengths) }
            count = mark.count
            mustFlush = mark.mustFlush
            cursor = 0
        }

        mutating func append(_ values: [(field: Int64, value: DatabaseValue)], doc: Int64, deferrable: Bool) {
            if !deferrable { mustFlush = true }
            if heldSince == nil { heldSince = .now }
            for (field, value) in values {
                let position = slot(for: field)
                switch value.storage {
                case .int64(let number): rows[position].integers.append((number, doc))
                case .double(let number): rows[position].reals.append((number, doc))
                case .string(let text): rows[position].texts.append((text, doc))
                case .null, .blob: rows[position].others.append((value, doc))
                }
                cursor = position + 1
            }
            count += values.count
        }

        private mutating func slot(for field: Int64) -> Int {
            if cursor < fields.count, fields[cursor] == field { return cursor }
            if let known = positions[field] { return known }
            fields.append(field)
            rows.append(FieldRows())
            positions[field] = fields.count - 1
            return fields.count - 1
        }
    }

    fileprivate struct FieldRows: Sendable {
        var integers: [(Int64, Int64)] = []
        var reals: [(Double, Int64)] = []
        var texts: [(String, Int64)] = []
        /// Never produced by the mapper today; kept unsorted (only locality depends on order).
        var others: [(DatabaseValue, Int64)] = []

        struct Lengths { var integers, reals, texts, others: Int }

        var lengths: Lengths { Lengths(integers: integers.count, reals: reals.count, texts: texts.count, others: others.count) }

        mutating func truncate(to lengths: Lengths) {
            integers.removeSubrange(lengths.integers...)
            reals.removeSubrange(lengths.reals...)
            texts.removeSubrange(lengths.texts...)
            others.removeSubrange(lengths.others...)
        }

        /// The rows in key order. By value only: the sort is stable and rows arrive mostly in
        /// document order, which is rowid order for new documents (only locality depends on the
        /// order of equal values). One concrete comparison per step: the generic tuple `<` goes
        /// through witness tables per call.
        func sorted() -> FieldRows {
            FieldRows(integers: integers.sorted { $0.0 < $1.0 }, reals: reals.sorted { $0.0 < $1.0 },
                      texts: texts.sorted { $0.0 < $1.0 }, others: others)
        }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunks(of size: Int) -> some Sequence<ArraySlice<Element>> {
        stride(from: 0, to: count, by: size).lazy.map { self[$0..<Swift.min($0 + size, self.count)] }
    }
}
