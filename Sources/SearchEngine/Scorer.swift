import GRDB
import GRDBSQLite

/// Computes `_score` for matched documents of one index, the way ES combines clause scores:
/// text clauses give their BM25 (FTS5 `bm25()` as `es_bm25`, negated), `bool` sums `must` and matching
/// `should` clauses, `multi_match` best_fields takes the best field, filters and other
/// non-text clauses give their boost (ES scores `term`/`range` on keywords near-constantly too).
final class Scorer {
    let db: Database
    let range: ClosedRange<Int64>
    private var ftsCache: [String: [Int64: Double]] = [:]
    private var memberCache: [String: Set<Int64>] = [:]

    init(db: Database, range: ClosedRange<Int64>) {
        self.db = db
        self.range = range
    }

    /// Calls `body` with each match of an FTS5 expression within this index and its BM25 score.
    /// Steps the SQLite statement directly: a `match` over 100k documents can yield 10k rows,
    /// and generic row decoding was most of the query time.
    func forEachMatch(_ expression: String, _ body: (Int64, Double) -> Void) throws {
        // `es_bm25` is `bm25()` without its per-row size lookup (see BM25.swift).
        let statement = try db.cachedStatement(sql: "SELECT rowid, \(BM25.scoreExpression) FROM fts WHERE fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3")
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        try statement.setArguments([expression, range.lowerBound, range.upperBound])
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            if code == SQLITE_ROW {
                body(sqlite3_column_int64(raw, 0), -sqlite3_column_double(raw, 1))
            } else if code == SQLITE_DONE {
                return
            } else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                    sql: statement.sql)
            }
        }
    }

    /// Matches and scores of one FTS5 expression within this index.
    func ftsScores(_ expression: String) throws -> [Int64: Double] {
        if let cached = ftsCache[expression] { return cached }
        var scores: [Int64: Double] = [:]
        try forEachMatch(expression) { rowid, score in scores[rowid] = score }
        ftsCache[expression] = scores
        return scores
    }

    /// Whether `query` matches `rowid` (for `should` clauses, whose matching varies per document).
    private func matches(_ query: CompiledQuery, _ rowid: Int64) throws -> Bool {
        let (sql, arguments) = query.condition(range)
        let key = sql + "\u{0}" + arguments.map(\.description).joined(separator: "\u{0}")
        if let cached = memberCache[key] { return cached.contains(rowid) }
        let members = try Set(Int64.fetchAll(db, sql: "SELECT d.rowid FROM docs d WHERE d.rowid BETWEEN ? AND ? AND \(sql)",
                                             arguments: StatementArguments([range.lowerBound.databaseValue, range.upperBound.databaseValue] + arguments)))
        memberCache[key] = members
        return members.contains(rowid)
    }

    /// The score of `query` for `rowid`, or nil when it does not match. `known` says the caller
    /// already knows the document matches (a top-level query or a `must` clause).
    func score(_ query: CompiledQuery, _ rowid: Int64, known: Bool) throws -> Double? {
        switch query {
        case .all(let boost): return boost
        case .none: return nil
        case .fts(let expression, let boost): return try ftsScores(expression)[rowid].map { $0 * boost }
        case .filter(_, _, let boost): return try known || matches(query, rowid) ? boost : nil
        case .constant(let inner, let boost): return try known || matches(inner, rowid) ? boost : nil
        case .disMax(let parts, let boost):
            var best: Double?
            for part in parts {
                if let value = try score(part, rowid, known: false) { best = max(best ?? value, value) }
            }
            return best.map { $0 * boost }
        case .bool(let must, let should, _, _, _, let boost):
            if !known, try !matches(query, rowid) { return nil }
            var total = 0.0
            for clause in must { total += try score(clause, rowid, known: true) ?? 0 }
            for clause in should { total += try score(clause, rowid, known: false) ?? 0 }
            return total * boost
        }
    }
}
