import Foundation
import GRDB
import GRDBSQLite

/// FTS5's own `bm25()` ranking, with each row's length taken from a per-connection cache or,
/// on a miss, from the `fts_docsize` row the query reads itself.
///
/// Why: a `match` over 100,000 log documents has ~10,000 matching rows, and `bm25()` fetches
/// each row's size through a separate internal statement (bound, stepped and reset per row);
/// that lookup was most of the query's instructions (callgrind). Here a miss costs one b-tree
/// seek inside the query and later queries on the connection find the length in memory.
/// Everything else is `bm25()`'s formula exactly (SQLite 3.40 `fts5_aux.c`: k1 = 1.2,
/// b = 0.75, column weights 1, idf from the row count and each phrase's matching rows, floored
/// at 1e-6, the row length summed over all columns, the result negated), so scores are
/// bit-for-bit the ones `bm25()` gives — `BM25Tests` compares the two on every matching row,
/// before and after writes.
///
/// Use `BM25.scoreExpression` in a query over `fts` (not aliased).
enum BM25 {
    /// `es_bm25(fts, sizes, expression)`: the score; `sizes` is the row's `fts_docsize.sz` or
    /// NULL when `es_cached_length(fts)` just found the row's length in the cache; `expression`
    /// (parameter `?1`, which must be the MATCH expression) keys the cached idf statistics.
    static let scoreExpression = """
        es_bm25(fts, CASE WHEN es_cached_length(fts) THEN NULL ELSE (SELECT sz FROM fts_docsize WHERE id = fts.rowid) END, ?1)
        """

    /// Row lengths one connection has read, valid while the database file's data version
    /// (`SQLITE_FCNTL_DATA_VERSION`: changed by any commit, this connection's or another's) and
    /// the connection's own change count stay what they were when the lengths were read.
    /// Only its connection touches it, and SQLite runs a connection's statements one at a time.
    final class RowLengthCache: @unchecked Sendable {
        var dataVersion: UInt32 = 0
        var totalChanges: Int64 = -1
        var lengths: [Int64: Int32] = [:]
        /// idf statistics per MATCH expression (they depend on the whole table only).
        var statistics: [String: Statistics] = [:]
        /// The row `es_cached_length` last answered for, and its length.
        var currentRowid: Int64 = -1
        var currentLength: Int32 = 0
        /// Bounds memory per connection (~20–40 bytes an entry with the dictionary's slack, so at
        /// most ~20–40 MB); the cache restarts when full.
        static let capacity = 1_000_000
    }

    /// Per-query statistics, computed on the first row as `bm25()` does and kept as FTS5 aux data.
    final class Statistics {
        let averageLength: Double
        let idf: [Double]
        init(averageLength: Double, idf: [Double]) {
            self.averageLength = averageLength
            self.idf = idf
        }
    }

    /// Registers `es_bm25` and `es_cached_length` on a connection (every connection of the
    /// pool, in `prepareDatabase`), sharing one cache that lives as long as the connection.
    static func register(_ db: Database) throws {
        let api = UnsafeMutablePointer(mutating: FTS5.api(db))
        let cache = RowLengthCache()
        let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { pointer in
            if let pointer { Unmanaged<RowLengthCache>.fromOpaque(pointer).release() }
        }
        var code = api.pointee.xCreateFunction(api, "es_cached_length", Unmanaged.passRetained(cache).toOpaque(), { api, fts, context, _, _ in
            guard let api, let fts, let context else { return }
            switch BM25.lookUpLength(api.pointee, fts, context) {
            case .success(let found): sqlite3_result_int(context, found ? 1 : 0)
            case .failure(let error): sqlite3_result_error_code(context, error.code)
            }
        }, release)
        if code == SQLITE_OK {
            code = api.pointee.xCreateFunction(api, "es_bm25", Unmanaged.passRetained(cache).toOpaque(), { api, fts, context, argumentCount, arguments in
                guard let api, let fts, let context else { return }
                switch BM25.score(api.pointee, fts, argumentCount > 0 ? arguments?[0] : nil, argumentCount > 1 ? arguments?[1] : nil) {
                case .success(let score): sqlite3_result_double(context, score)
                case .failure(let error): sqlite3_result_error_code(context, error.code)
                }
            }, release)
        }
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot register the FTS5 ranking functions")
        }
    }

    private static func cache(_ api: Fts5ExtensionApi, _ fts: OpaquePointer) -> RowLengthCache {
        Unmanaged<RowLengthCache>.fromOpaque(api.xUserData(fts)!).takeUnretainedValue()
    }

    /// Whether the current row's length is cached (then remembered for `es_bm25`). On a query's
    /// first row the cache is emptied if the database changed since it was filled.
    private static func lookUpLength(_ api: Fts5ExtensionApi, _ fts: OpaquePointer, _ context: OpaquePointer) -> Result<Bool, Int32Error> {
        let cache = cache(api, fts)
        if api.xGetAuxdata(fts, 0) == nil {
            let db = sqlite3_context_db_handle(context)
            var version: UInt32 = 0
            let code = sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &version)
            let changes = sqlite3_total_changes64(db)
            if code != SQLITE_OK || version != cache.dataVersion || changes != cache.totalChanges {
                cache.lengths.removeAll(keepingCapacity: true)
                cache.statistics.removeAll()
                cache.dataVersion = version
                cache.totalChanges = code == SQLITE_OK ? changes : -1
            }
            // Any non-nil marker: "validated for this query".
            let marked = api.xSetAuxdata(fts, UnsafeMutableRawPointer(bitPattern: 1), nil)
            guard marked == SQLITE_OK else { return .failure(Int32Error(marked)) }
        }
        let rowid = api.xRowid(fts)
        guard let length = cache.lengths[rowid] else { return .success(false) }
        cache.currentRowid = rowid
        cache.currentLength = length
        return .success(true)
    }

    private static func score(_ api: Fts5ExtensionApi, _ fts: OpaquePointer, _ sizes: OpaquePointer?, _ expression: OpaquePointer?) -> Result<Double, Int32Error> {
        let cache = cache(api, fts)
        let statistics: Statistics
        if let stored = api.xGetAuxdata(fts, 0) {
            statistics = Unmanaged<Statistics>.fromOpaque(stored).takeUnretainedValue()
        } else {
            // First row of the query; `es_cached_length` (an argument, so evaluated first) has
            // already emptied the cache if the database changed.
            let key = expression.flatMap { sqlite3_value_text($0) }.map { String(cString: $0) }
            if let key, let cached = cache.statistics[key] {
                statistics = cached
            } else {
                switch computeStatistics(api, fts) {
                case .success(let computed): statistics = computed
                case .failure(let error): return .failure(error)
                }
                if let key {
                    if cache.statistics.count >= 1_000 { cache.statistics.removeAll() }
                    cache.statistics[key] = statistics
                }
            }
            let code = api.xSetAuxdata(fts, Unmanaged.passRetained(statistics).toOpaque(), { pointer in
                if let pointer { Unmanaged<Statistics>.fromOpaque(pointer).release() }
            })
            guard code == SQLITE_OK else { return .failure(Int32Error(code)) }
        }
        return score(api, fts, sizes, statistics, cache)
    }

    /// `bm25()`'s per-query figures: average row length and each phrase's idf.
    private static func computeStatistics(_ api: Fts5ExtensionApi, _ fts: OpaquePointer) -> Result<Statistics, Int32Error> {
        var rowCount: Int64 = 0, tokenCount: Int64 = 0
        var code = api.xRowCount(fts, &rowCount)
        if code == SQLITE_OK { code = api.xColumnTotalSize(fts, -1, &tokenCount) }
        guard code == SQLITE_OK else { return .failure(Int32Error(code)) }
        var idf: [Double] = []
        for phrase in 0..<api.xPhraseCount(fts) {
            var hits: Int64 = 0
            code = withUnsafeMutablePointer(to: &hits) { pointer in
                api.xQueryPhrase(fts, phrase, pointer, { _, _, counter in
                    counter?.assumingMemoryBound(to: Int64.self).pointee += 1
                    return SQLITE_OK
                })
            }
            guard code == SQLITE_OK else { return .failure(Int32Error(code)) }
            let value = log((Double(rowCount - hits) + 0.5) / (Double(hits) + 0.5))
            idf.append(value <= 0 ? 1e-6 : value)
        }
        return .success(Statistics(averageLength: Double(tokenCount) / Double(rowCount), idf: idf))
    }

    private static func score(_ api: Fts5ExtensionApi, _ fts: OpaquePointer, _ sizes: OpaquePointer?, _ statistics: Statistics,
                              _ cache: RowLengthCache) -> Result<Double, Int32Error> {
        let rowid = api.xRowid(fts)
        let length: Int32
        if let sizes, sqlite3_value_type(sizes) != SQLITE_NULL {
            guard let decoded = rowLength(sizes, columns: Int(api.xColumnCount(fts))) else { return .failure(Int32Error(SQLITE_CORRUPT)) }
            length = decoded
            if cache.lengths.count >= RowLengthCache.capacity { cache.lengths.removeAll(keepingCapacity: true) }
            cache.lengths[rowid] = decoded
        } else {
            guard cache.currentRowid == rowid else { return .failure(Int32Error(SQLITE_CORRUPT)) }
            length = cache.currentLength
        }
        var instances: Int32 = 0
        var code = api.xInstCount(fts, &instances)
        guard code == SQLITE_OK else { return .failure(Int32Error(code)) }
        let k1 = 1.2, b = 0.75
        let rowLength = Double(length)
        let phrases = statistics.idf.count
        if phrases == 1 {
            // One phrase (a one-word `match`): every instance is that phrase's, so its frequency
            // is the instance count and the per-instance `xInst` calls can be skipped.
            let frequency = Double(instances)
            let score = statistics.idf[0] * ((frequency * (k1 + 1.0)) / (frequency + k1 * (1 - b + b * rowLength / statistics.averageLength)))
            return .success(-1.0 * score)
        }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: max(phrases, 1)) { frequencies in
            frequencies.initialize(repeating: 0)
            var phrase: Int32 = 0, column: Int32 = 0, offset: Int32 = 0
            for instance in 0..<instances {
                code = api.xInst(fts, instance, &phrase, &column, &offset)
                guard code == SQLITE_OK else { return .failure(Int32Error(code)) }
                frequencies[Int(phrase)] += 1.0
            }
            var score = 0.0
            for index in 0..<phrases {
                let frequency = frequencies[index]
                score += statistics.idf[index] * ((frequency * (k1 + 1.0)) / (frequency + k1 * (1 - b + b * rowLength / statistics.averageLength)))
            }
            return .success(-1.0 * score)
        }
    }

    /// The row's token count over all columns from its `fts_docsize.sz` blob: one SQLite varint
    /// per column (FTS5's size record). Nil when the blob is shorter than the column count.
    private static func rowLength(_ value: OpaquePointer, columns: Int) -> Int32? {
        guard let blob = sqlite3_value_blob(value) else { return columns == 0 ? 0 : nil }
        let bytes = blob.assumingMemoryBound(to: UInt8.self)
        let count = Int(sqlite3_value_bytes(value))
        if count == columns {
            // Common case: every column holds fewer than 128 tokens, one byte each.
            var total: Int32 = 0, continuation: UInt8 = 0
            for position in 0..<count {
                total &+= Int32(bytes[position])
                continuation |= bytes[position]
            }
            if continuation & 0x80 == 0 { return total }
        }
        var position = 0
        var total: Int32 = 0
        for _ in 0..<columns {
            var size: UInt32 = 0
            while true {
                guard position < count else { return nil }
                let byte = bytes[position]
                position += 1
                size = size << 7 | UInt32(byte & 0x7F)
                if byte & 0x80 == 0 { break }
            }
            total &+= Int32(truncatingIfNeeded: size)
        }
        return total
    }
}

/// An SQLite result code as an `Error`, so the scoring steps can return `Result`.
struct Int32Error: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}
