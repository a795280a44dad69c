import Foundation
import GRDB
import JSONValue

/// One index of a search with its query compiled against that index's mapping.
struct SearchTarget {
    var index: IndexMetadata
    var query: CompiledQuery

    var condition: (sql: String, arguments: [DatabaseValue]) {
        let (sql, arguments) = query.condition(index.rowidRange)
        let searchable = index.searchableRowids
        return ("(d.rowid BETWEEN \(searchable.lowerBound) AND \(searchable.upperBound) AND \(sql))", arguments)
    }
}

/// A candidate hit: its rowid, score and sort values.
struct Candidate {
    var rowid: Int64
    var score: Double
    var sortValues: [DatabaseValue]
}

extension SearchEngine {
    /// `GET|POST /{index}/_search` (index expression may be empty for all indices).
    public func search(_ expression: String, _ request: SearchRequest, ignoreUnavailable: Bool = false) throws(ElasticsearchError) -> EngineResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let names = try resolveIndices(expression, ignoreUnavailable: ignoreUnavailable)
        var body = try read(searching: true) { db, catalog in
            let execution = try SearchExecution(db: db, targets: Self.targets(db, catalog, names, request.query), request: request)
            return try execution.run()
        }
        body["took"] = .int(Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000))
        var ordered: JSONObject = ["took": body["took"]!]
        for (key, value) in body where key != "took" { ordered[key] = value }
        return EngineResponse(body: .object(ordered))
    }

    /// `GET|POST /{index}/_count` with an optional `{"query":...}` body or `q=`.
    public func count(_ expression: String, body: JSON?, parameters: [String: String] = [:], ignoreUnavailable: Bool = false) throws(ElasticsearchError) -> EngineResponse {
        var query = Query.matchAll(boost: 1)
        if let object = body?.objectValue {
            for (key, value) in object {
                guard key == "query" else { throw .parsing("request does not support [\(key)]") }
                query = try Query.parse(value)
            }
        }
        if let text = parameters["q"] {
            let op: Query.Operator = parameters["default_operator"]?.lowercased() == "and" ? .and : .or
            var parser = QueryStringParser(text: text, defaultFields: parameters["df"].map { [$0] } ?? ["*"], defaultOperator: op, simple: false)
            query = try parser.parse()
        }
        let names = try resolveIndices(expression, ignoreUnavailable: ignoreUnavailable)
        let finalQuery = query
        // Counting every document needs no values, so no refresh either (`Refresh`): what
        // dashboards and shippers poll, several times a second during a bulk load.
        let everything = if case .matchAll = query { true } else { false }
        return try read(searching: !everything) { db, catalog in
            let targets = try Self.targets(db, catalog, names, finalQuery)
            let execution = SearchExecution(db: db, targets: targets, request: SearchRequest())
            let count: Int64
            if targets.allSatisfy({ if case .all = $0.query { true } else { false } }) {
                // Every document of the indices (`_count` without a query, what dashboards and
                // scripts poll): counted on the narrow `docs_by_id` index, not by walking the
                // `docs` table whose rows carry the sources — 45 ms → a few ms at 200,000 events.
                count = try targets.reduce(0) { total, target in
                    try total + (Int64.fetchOne(db, sql: "SELECT count(*) FROM docs WHERE index_id = ?", arguments: [target.index.id]) ?? 0)
                }
            } else {
                count = try Int64.fetchOne(db, sql: "SELECT count(*) FROM docs d WHERE \(execution.whereClause.sql)",
                                           arguments: StatementArguments(execution.whereClause.arguments)) ?? 0
            }
            return EngineResponse(body: ["count": .int(count), "_shards": execution.shards])
        }
    }

    static func targets(_ db: Database, _ catalog: [String: IndexMetadata], _ names: [String], _ query: Query) throws -> [SearchTarget] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return try names.compactMap { name in
            guard let index = catalog[name] else { return nil }
            return SearchTarget(index: index, query: try QueryCompiler(index: index, now: now, db: db).compile(query))
        }
    }
}

/// Runs one search: matching, scoring, sorting, paging, hits and aggregations.
struct SearchExecution {
    let db: Database
    let targets: [SearchTarget]
    let request: SearchRequest
    let whereClause: (sql: String, arguments: [DatabaseValue])

    init(db: Database, targets: [SearchTarget], request: SearchRequest) {
        self.db = db
        self.targets = targets
        self.request = request
        let parts = targets.map(\.condition)
        whereClause = parts.isEmpty ? ("0", []) : (parts.map(\.sql).joined(separator: " OR "), parts.flatMap(\.arguments))
    }

    var shards: JSON {
        let total = Int64(targets.map(\.index.numberOfShards).reduce(0, +))
        return ["total": .int(total), "successful": .int(total), "skipped": 0, "failed": 0]
    }

    func target(of rowid: Int64) -> SearchTarget? { targets.first { $0.index.rowidRange.contains(rowid) } }

    /// Hits in the order the request sorts them, with the total and the best score.
    struct Ranking {
        var candidates: [Candidate]
        var total: Int
        var maxScore: Double?
        var sortFields: [SortField]
        var scored: Bool
    }

    func run() throws -> JSONObject {
        let ranking = try rank(limit: request.from + request.size)
        return try body(ranking, page: Array(ranking.candidates.dropFirst(request.from)), aggregations: true)
    }

    /// The first `limit` hits in order (every hit when nil: a scroll keeps them all).
    func rank(limit: Int?) throws -> Ranking {
        let sortFields = request.sort.isEmpty ? [SortField(field: "_score", descending: true)] : request.sort
        let keys = try sortFields.map { try sortKey($0) }
        let scoresWanted = sortFields.contains { $0.field == "_score" } || request.trackScores
        let constantScores = Set(targets.map { $0.query.hasVariableScore ? Double.nan : $0.query.constantScore })
        let variable = constantScores.count > 1 || constantScores.contains { $0.isNaN }
        let constant = constantScores.first ?? 1
        let fieldSorted = keys.contains { if case .field = $0 { true } else { false } }
        if (scoresWanted && variable) || fieldSorted || request.searchAfter != nil {
            var candidates = try matchedCandidates(scored: scoresWanted && variable, constant: constant, keyCount: keys.count)
            try fillSortValues(&candidates, keys)
            let total = candidates.count
            let maxScore = scoresWanted ? candidates.map(\.score).max() : nil
            if let values = request.searchAfter {
                // Scores compare as the 32-bit floats the hits show (and Lucene ranks by).
                for position in candidates.indices { candidates[position].score = Double(Float(candidates[position].score)) }
                let last = try afterCandidate(values, sortFields)
                candidates.removeAll { !Self.precedes(last, $0, sortFields) }
            }
            return Ranking(candidates: Self.top(candidates, limit ?? candidates.count, sortFields), total: total,
                           maxScore: maxScore, sortFields: sortFields, scored: scoresWanted)
        }
        let total = try countMatches()
        return Ranking(candidates: try sqlPage(sortFields, score: constant, limit: limit), total: total,
                       maxScore: scoresWanted && total > 0 ? constant : nil, sortFields: sortFields, scored: scoresWanted)
    }

    /// The response body for one page of `ranking` (aggregations only on a search's first answer).
    func body(_ ranking: Ranking, page: [Candidate], aggregations: Bool) throws -> JSONObject {
        var hits: JSONObject = [:]
        switch request.trackTotalHits {
        case .disabled: break
        case .exact where request.totalHitsAsInt: hits["total"] = .int(Int64(ranking.total))
        case .exact: hits["total"] = ["value": .int(Int64(ranking.total)), "relation": "eq"]
        case .upTo(let limit):
            hits["total"] = ranking.total > limit ? ["value": .int(Int64(limit)), "relation": "gte"] : ["value": .int(Int64(ranking.total)), "relation": "eq"]
        }
        hits["max_score"] = ranking.maxScore.map(Self.scoreJSON) ?? .null
        hits["hits"] = .array(try renderHits(page, sortFields: ranking.sortFields, scored: ranking.scored))
        var body: JSONObject = ["took": 0, "timed_out": false, "_shards": shards, "hits": .object(hits)]
        if aggregations && !request.aggregations.isEmpty {
            // Every document: only the refreshed ones, like the hits (a refresh that committed
            // after this search took its catalog may be in its snapshot: `Refresh`).
            let filter: AggregationFilter = targets.isEmpty ? AggregationFilter()
                : targets.allSatisfy({ if case .all = $0.query { true } else { false } })
                ? AggregationFilter(sql: "(" + targets.map { "doc BETWEEN \($0.index.searchableRowids.lowerBound) AND \($0.index.searchableRowids.upperBound)" }
                                        .joined(separator: " OR ") + ")", arguments: [])
                : AggregationFilter(sql: "doc IN (SELECT d.rowid FROM docs d WHERE \(whereClause.sql))", arguments: whereClause.arguments)
            body["aggregations"] = try AggregationExecution(db: db, targets: targets).run(request.aggregations, filter: filter)
        }
        return body
    }

    /// ES scores (and `float` sort values) are 32-bit floats; print them as Java prints a float (`0.2876821`).
    static func scoreJSON(_ score: Double) -> JSON {
        .double(Double(String(Float(score))) ?? score)
    }

    /// How one sort entry is evaluated: by score, by index order, or by a field's doc values.
    enum SortKey {
        case score, doc
        /// The `fields` ids of the field in the target indices (nil: unmapped with `unmapped_type`).
        case field(ids: String?, descending: Bool)
    }

    private func sortKey(_ sort: SortField) throws -> SortKey {
        switch sort.field {
        case "_score": return .score
        case "_doc": return .doc
        default:
            let infos = targets.compactMap { $0.index.field(sort.field) }
            guard let first = infos.first else {
                if sort.unmappedType != nil || targets.isEmpty { return .field(ids: nil, descending: sort.descending) }
                throw ElasticsearchError(status: 400, type: "query_shard_exception", reason: "No mapping found for [\(sort.field)] in order to sort on",
                                         metadata: ElasticsearchError.indexMetadata(targets[0].index.name, uuid: targets[0].index.uuid))
            }
            if first.type == .text { throw ElasticsearchError.fielddata(sort.field) }
            return .field(ids: infos.map { String($0.id) }.joined(separator: ", "), descending: sort.descending)
        }
    }

    /// Sort values of every candidate: the smallest value for ascending, the largest for
    /// descending sorts (ES's default `mode` for multi-valued fields).
    private func fillSortValues(_ candidates: inout [Candidate], _ keys: [SortKey]) throws {
        for (position, key) in keys.enumerated() {
            guard case .field(let ids?, let descending) = key, !candidates.isEmpty else { continue }
            var values: [Int64: DatabaseValue] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT doc, \(descending ? "max" : "min")(v) FROM vals WHERE field IN (\(ids)) AND doc IN (SELECT d.rowid FROM docs d WHERE \(whereClause.sql)) GROUP BY doc",
                                           arguments: StatementArguments(whereClause.arguments))
            while let row = try rows.next() { values[row[0]] = row[1] }
            for index in candidates.indices {
                candidates[index].sortValues[position] = values[candidates[index].rowid] ?? .null
            }
        }
    }

    private func countMatches() throws -> Int {
        if case .disabled = request.trackTotalHits { return 0 }
        var sql = "SELECT count(*) FROM docs d WHERE \(whereClause.sql)"
        if case .upTo(let limit) = request.trackTotalHits {
            sql = "SELECT count(*) FROM (SELECT 1 FROM docs d WHERE \(whereClause.sql) LIMIT \(limit + 1))"
        }
        return try Int.fetchOne(db, sql: sql, arguments: StatementArguments(whereClause.arguments)) ?? 0
    }

    /// Sorting done by SQLite when every hit scores the same and only `_score`/`_doc` order them.
    private func sqlPage(_ sortFields: [SortField], score: Double, limit: Int?) throws -> [Candidate] {
        let descending = sortFields.first { $0.field == "_doc" }?.descending ?? false
        let sql = "SELECT d.rowid FROM docs d WHERE \(whereClause.sql) ORDER BY d.rowid \(descending ? "DESC" : "ASC") LIMIT \(limit ?? -1)"
        let empty = sortFields.map { _ in DatabaseValue.null }
        return try Int64.fetchAll(db, sql: sql, arguments: StatementArguments(whereClause.arguments)).map {
            Candidate(rowid: $0, score: score, sortValues: empty)
        }
    }

    /// Every match, with its BM25-based score when `scored` (else the constant score).
    private func matchedCandidates(scored: Bool, constant: Double, keyCount: Int) throws -> [Candidate] {
        var result: [Candidate] = []
        let empty = Array(repeating: DatabaseValue.null, count: keyCount)
        for target in targets {
            let scorer = Scorer(db: db, range: target.index.rowidRange)
            if scored, case .fts(let expression, let boost) = target.query {
                // Fast path for a lone text query: FTS5 yields matches and scores in one pass.
                try scorer.forEachMatch(expression) { rowid, score in
                    result.append(Candidate(rowid: rowid, score: score * boost, sortValues: empty))
                }
                continue
            }
            let (condition, arguments) = target.condition
            let rows = try Int64.fetchCursor(db, sql: "SELECT d.rowid FROM docs d WHERE \(condition)", arguments: StatementArguments(arguments))
            while let rowid = try rows.next() {
                let score = scored ? try scorer.score(target.query, rowid, known: true) ?? 0 : constant
                result.append(Candidate(rowid: rowid, score: score, sortValues: empty))
            }
        }
        return result
    }

    /// The first `count` candidates in sort order, without sorting all of them when few are wanted
    /// (a page of 10 out of 10,000 matches is a linear scan with a small sorted buffer).
    static func top(_ candidates: [Candidate], _ count: Int, _ sortFields: [SortField]) -> [Candidate] {
        if count == 0 { return [] }
        if count * 8 >= candidates.count {
            return Array(candidates.sorted { precedes($0, $1, sortFields) }.prefix(count))
        }
        var best: [Candidate] = []
        best.reserveCapacity(count + 1)
        for candidate in candidates {
            if best.count == count, !precedes(candidate, best[count - 1], sortFields) { continue }
            var low = 0, high = best.count
            while low < high {
                let middle = (low + high) / 2
                if precedes(candidate, best[middle], sortFields) { high = middle } else { low = middle + 1 }
            }
            best.insert(candidate, at: low)
            if best.count > count { best.removeLast() }
        }
        return best
    }

    /// ES ordering: each sort key in turn (missing values last unless `_first`), then index order.
    /// The previous page's last hit as a candidate that sorts after every hit with the same
    /// values (ES builds its `FieldDoc` with the highest document number), so only hits strictly
    /// after it remain. Values are read as the hits show them: scores, `_doc` positions, numbers,
    /// epoch milliseconds or date strings for dates, text for keywords, null for a missing value.
    private func afterCandidate(_ values: [JSON], _ sortFields: [SortField]) throws -> Candidate {
        var last = Candidate(rowid: Int64.max, score: 0, sortValues: [])
        for (value, sort) in zip(values, sortFields) {
            let type = targets.lazy.compactMap { $0.index.field(sort.field)?.type }.first
            switch (sort.field, value) {
            case ("_score", _):
                guard let score = value.doubleValue else { throw ElasticsearchError.illegalArgument("Failed to parse search_after value for field [_score].") }
                last.score = Double(Float(score))
                last.sortValues.append(.null)
            case ("_doc", _):
                guard let position = value.intValue, let first = targets.first else { throw ElasticsearchError.illegalArgument("Failed to parse search_after value for field [_doc].") }
                last.rowid = first.index.rowidRange.lowerBound + 1 + position
                last.sortValues.append(.null)
            case (_, .null):
                last.sortValues.append(.null)
            case (_, .string(let text)) where type == .date:
                guard let millis = DateMath.parseDateValue(text) else {
                    throw ElasticsearchError.illegalArgument("failed to parse date field [\(text)] with format [strict_date_optional_time||epoch_millis]")
                }
                last.sortValues.append(millis.databaseValue)
            case (_, .int(let number)):
                // Missing values sort as Long.MIN/MAX_VALUE in the hits' `sort` arrays.
                last.sortValues.append(number == Int64.max || number == Int64.min ? .null : number.databaseValue)
            case (_, .double(let number)): last.sortValues.append(number.databaseValue)
            case (_, .string(let text)): last.sortValues.append(text.databaseValue)
            case (_, .bool(let flag)): last.sortValues.append((flag ? 1 : 0).databaseValue)
            default:
                throw ElasticsearchError.illegalArgument("Failed to parse search_after value for field [\(sort.field)].")
            }
        }
        return last
    }

    static func precedes(_ a: Candidate, _ b: Candidate, _ sortFields: [SortField]) -> Bool {
        for (position, sort) in sortFields.enumerated() {
            if sort.field == "_score" {
                if a.score != b.score { return sort.descending ? a.score > b.score : a.score < b.score }
                continue
            }
            if sort.field == "_doc" {
                if a.rowid != b.rowid { return sort.descending ? a.rowid > b.rowid : a.rowid < b.rowid }
                continue
            }
            let left = a.sortValues[position], right = b.sortValues[position]
            if left.isNull != right.isNull { return left.isNull == sort.missingFirst }
            if left == right { continue }
            let ascending = AggregationExecution.less(left, right)
            return sort.descending ? !ascending : ascending
        }
        return a.rowid < b.rowid
    }

    private func renderHits(_ page: [Candidate], sortFields: [SortField], scored: Bool) throws -> [JSON] {
        guard !page.isEmpty else { return [] }
        let marks = page.map { String($0.rowid) }.joined(separator: ", ")
        var rows: [Int64: Row] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT rowid, doc_id, version, seq_no, source FROM docs WHERE rowid IN (\(marks))") {
            rows[row[0]] = row
        }
        let highlighter = request.highlight.map { Highlighter(highlight: $0, terms: HighlightTerms(request.query)) }
        return try page.compactMap { candidate -> JSON? in
            guard let row = rows[candidate.rowid], let target = target(of: candidate.rowid) else { return nil }
            var hit: JSONObject = ["_index": .string(target.index.name), "_type": "_doc", "_id": .string(row[1])]
            if request.version { hit["_version"] = .int(row[2]) }
            if request.seqNoPrimaryTerm {
                hit["_seq_no"] = .int(row[3])
                hit["_primary_term"] = 1
            }
            hit["_score"] = scored ? Self.scoreJSON(candidate.score) : .null
            if request.source.fetch || highlighter != nil {
                let source = try SearchEngine.parseSource([UInt8](row[4] as Data))
                if request.source.fetch { hit["_source"] = request.source.apply(source) }
                if let marked = highlighter?.fragments(of: source, index: target.index) { hit["highlight"] = .object(marked) }
            }
            if !request.sort.isEmpty {
                hit["sort"] = .array(zip(sortFields, candidate.sortValues).map { sort, value in
                    sortValueJSON(sort, value, candidate: candidate, target: target)
                })
            }
            return .object(hit)
        }
    }

    private func sortValueJSON(_ sort: SortField, _ value: DatabaseValue, candidate: Candidate, target: SearchTarget) -> JSON {
        switch sort.field {
        case "_score": return Self.scoreJSON(candidate.score)
        case "_doc": return .int(candidate.rowid - target.index.rowidRange.lowerBound - 1)
        default:
            let type = target.index.field(sort.field)?.type ?? .keyword
            if value.isNull {
                if type.isNumeric || type == .date || type == .boolean {
                    return .int(sort.descending != sort.missingFirst ? Int64.min : Int64.max)
                }
                return .null
            }
            // ES sorts `float` fields as 32-bit floats and prints them so (`4.4`, not 4.400000095367432).
            if type == .float, let number = Double.fromDatabaseValue(value) { return Self.scoreJSON(number) }
            return AggregationExecution.keyJSON(value, type: type)
        }
    }
}

extension ElasticsearchError {
    /// Sorting or aggregating on a `text` field, refused as ES 7.10 refuses it.
    static func fielddata(_ field: String) -> ElasticsearchError {
        .illegalArgument("Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [\(field)] in order to load field data by uninverting the inverted index. Note that this can use significant memory.")
    }
}
