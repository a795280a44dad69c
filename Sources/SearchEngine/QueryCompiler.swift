import Foundation
import GRDB
import JSONValue

/// A query bound to one index's mapping: text clauses become FTS5 expressions (scored with
/// BM25), everything else becomes SQL over `vals`/`docs` (constant score, like ES filters).
indirect enum CompiledQuery {
    case all(boost: Double)
    case none
    case fts(expression: String, boost: Double)
    case filter(sql: String, arguments: [DatabaseValue], boost: Double)
    case bool(must: [CompiledQuery], should: [CompiledQuery], filter: [CompiledQuery], mustNot: [CompiledQuery], minimumShould: Int, boost: Double)
    case disMax([CompiledQuery], boost: Double)
    case constant(CompiledQuery, boost: Double)

    /// The SQL condition over the `docs` row aliased `d`, for documents of the index whose
    /// rowids are `range` (FTS5 seeks straight to that range).
    func condition(_ range: ClosedRange<Int64>) -> (sql: String, arguments: [DatabaseValue]) {
        switch self {
        case .all: return ("1", [])
        case .none: return ("0", [])
        case .fts(let expression, _):
            return ("d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ? AND rowid BETWEEN \(range.lowerBound) AND \(range.upperBound))", [expression.databaseValue])
        case .filter(let sql, let arguments, _): return (sql, arguments)
        case .constant(let inner, _): return inner.condition(range)
        case .disMax(let parts, _): return Self.join(parts.map { $0.condition(range) }, " OR ", empty: "0")
        case .bool(let must, let should, let filter, let mustNot, let minimumShould, _):
            var parts = (must + filter).map { $0.condition(range) }
            for clause in mustNot { let (sql, arguments) = clause.condition(range); parts.append(("NOT (\(sql))", arguments)) }
            if minimumShould > 0 {
                let sum = Self.join(should.map { $0.condition(range) }, ") + (", empty: "0")
                parts.append(("((\(sum.sql)) >= \(minimumShould))", sum.arguments))
            }
            return Self.join(parts, " AND ", empty: "1")
        }
    }

    private static func join(_ parts: [(sql: String, arguments: [DatabaseValue])], _ separator: String, empty: String) -> (sql: String, arguments: [DatabaseValue]) {
        if parts.isEmpty { return (empty, []) }
        return ("(" + parts.map(\.sql).joined(separator: separator) + ")", parts.flatMap(\.arguments))
    }

    /// Whether documents can score differently (else every hit has `constantScore`).
    var hasVariableScore: Bool {
        switch self {
        case .all, .none, .filter, .constant: return false
        case .fts: return true
        case .disMax(let parts, _): return parts.contains { $0.hasVariableScore } || parts.count > 1
        case .bool(let must, let should, _, _, _, _): return !should.isEmpty || must.contains { $0.hasVariableScore }
        }
    }

    /// The score of every hit when `hasVariableScore` is false.
    var constantScore: Double {
        switch self {
        case .all(let boost), .filter(_, _, let boost), .constant(_, let boost): return boost
        case .none, .fts: return 0
        case .disMax(let parts, let boost): return (parts.map(\.constantScore).max() ?? 0) * boost
        case .bool(let must, _, _, _, _, let boost): return must.map(\.constantScore).reduce(0, +) * boost
        }
    }
}

/// Turns `Query` into `CompiledQuery` for one index (ES's `QueryShardContext.toQuery`).
struct QueryCompiler {
    let index: IndexMetadata
    let now: Int64
    /// Used to expand wildcards on text fields against the indexed terms (`fts_terms`).
    let db: Database

    func compile(_ query: Query) throws(ElasticsearchError) -> CompiledQuery {
        if let metadata = metadataFieldQuery(query) { return metadata }
        switch query {
        case .matchAll(let boost): return .all(boost: boost)
        case .matchNone: return .none
        case .match(let field, let text, let op, let minimumShouldMatch, let boost):
            guard let info = index.field(field) else { return .none }
            if info.type == .text, let minimumShouldMatch, op == .or {
                let leaves = Self.tokens(text).map { CompiledQuery.fts(expression: Self.column(info) + "\"\($0)\"", boost: boost) }
                // "at least k of n words": one FTS leaf per word under a bool with minimum_should_match.
                let required = BoolQuery(should: Array(repeating: .matchNone, count: leaves.count), minimumShouldMatch: minimumShouldMatch).requiredShouldCount
                return .bool(must: [], should: leaves, filter: [], mustNot: [], minimumShould: max(1, required), boost: 1)
            }
            return try textQuery(info, text: text, phrase: false, op: op, boost: boost)
        case .matchPhrase(let field, let text, let boost):
            guard let info = index.field(field) else { return .none }
            return try textQuery(info, text: text, phrase: true, op: .and, boost: boost)
        case .multiMatch(let patterns, let text, let type, let op, let boost):
            var parts: [CompiledQuery] = []
            var textColumns: [Int] = []
            for pattern in patterns {
                let fieldBoost = pattern.split(separator: "^").dropFirst().first.flatMap { Double($0) } ?? 1
                let all = pattern.hasPrefix("*") && pattern.split(separator: "^").first == "*"
                for info in index.fields(matching: pattern) where info.type == .text || info.type == .keyword {
                    if all && info.type == .keyword && index.fields.values.contains(where: { $0.multiFields.contains(info.path) }) { continue }
                    if all && info.type == .text, let column = info.column, type != .phrase, fieldBoost == 1 { textColumns.append(column); continue }
                    parts.append(try textQuery(info, text: text, phrase: type == .phrase, op: op, boost: boost * fieldBoost))
                }
            }
            if !textColumns.isEmpty {
                let filter = "{" + textColumns.sorted().map { "c\($0)" }.joined(separator: " ") + "} : "
                if let expression = Self.ftsExpression(filter, text: text, phrase: false, op: op) {
                    parts.insert(.fts(expression: expression, boost: boost), at: 0)
                }
            }
            if parts.isEmpty { return .none }
            if parts.count == 1 { return parts[0] }
            if type == .mostFields { return .bool(must: [], should: parts, filter: [], mustNot: [], minimumShould: 1, boost: 1) }
            return .disMax(parts, boost: 1)
        case .term(let field, let value, let boost):
            guard let info = index.field(field) else { return .none }
            if info.type == .text {
                guard let word = Self.text(of: value), Self.tokens(word) == [word] else { return .none }
                return .fts(expression: Self.column(info) + "\"\(word)\"", boost: boost)
            }
            guard let stored = try storedValue(info, value) else { return .none }
            return .filter(sql: "d.rowid IN (SELECT doc FROM vals WHERE field = ? AND v = ?)", arguments: [info.id.databaseValue, stored], boost: boost)
        case .terms(let field, let values, let boost):
            guard let info = index.field(field) else { return .none }
            if info.type == .text {
                let words = values.compactMap(Self.text(of:)).filter { Self.tokens($0) == [$0] }
                if words.isEmpty { return .none }
                return .constant(.fts(expression: Self.column(info) + "(" + words.map { "\"\($0)\"" }.joined(separator: " OR ") + ")", boost: 1), boost: boost)
            }
            var stored: [DatabaseValue] = []
            for value in values { if let converted = try storedValue(info, value) { stored.append(converted) } }
            if stored.isEmpty { return .none }
            let marks = Array(repeating: "?", count: stored.count).joined(separator: ", ")
            return .filter(sql: "d.rowid IN (SELECT doc FROM vals WHERE field = ? AND v IN (\(marks)))", arguments: [info.id.databaseValue] + stored, boost: boost)
        case .range(let field, let bounds, let boost):
            guard let info = index.field(field), info.type != .text else { return .none }
            var sql = "d.rowid IN (SELECT doc FROM vals WHERE field = ?"
            var arguments: [DatabaseValue] = [info.id.databaseValue]
            for (bound, op, roundUp) in [(bounds.gt, ">", true), (bounds.gte, ">=", false), (bounds.lt, "<", false), (bounds.lte, "<=", true)] {
                guard let bound, !bound.isNull else { continue }
                guard let stored = try storedValue(info, bound, roundUp: roundUp) else { return .none }
                sql += " AND v \(op) ?"
                arguments.append(stored)
            }
            return .filter(sql: sql + ")", arguments: arguments, boost: boost)
        case .exists(let field):
            if let info = index.field(field), info.type != .text {
                return .filter(sql: "d.rowid IN (SELECT doc FROM vals WHERE field = ?)", arguments: [info.id.databaseValue], boost: 1)
            }
            guard index.field(field) != nil || index.mapping.isObject(field) else { return .none }
            let path = "$." + field.split(separator: ".").map { "\"\($0)\"" }.joined(separator: ".")
            return .filter(sql: "COALESCE(json_type(CAST(d.source AS TEXT), ?), 'null') != 'null'", arguments: [path.databaseValue], boost: 1)
        case .prefix(let field, let value, let boost):
            guard let info = index.field(field) else { return .none }
            if info.type == .text {
                guard Self.tokens(value) == [value] else { return .none }
                return .constant(.fts(expression: Self.column(info) + "\"\(value)\" *", boost: 1), boost: boost)
            }
            guard info.type == .keyword else { return .none }
            return .filter(sql: "d.rowid IN (SELECT doc FROM vals WHERE field = ? AND v >= ? AND v < ?)",
                           arguments: [info.id.databaseValue, value.databaseValue, (value + "\u{10FFFF}").databaseValue], boost: boost)
        case .wildcard(let field, let pattern, let boost):
            guard let info = index.field(field) else { return .none }
            let glob = Self.glob(pattern)
            if info.type == .text {
                // ES rewrites a wildcard into the matching indexed terms; so do we (1024 = ES's max_clause_count).
                let terms = (try? String.fetchAll(db, sql: "SELECT DISTINCT term FROM fts_terms WHERE col = ? AND term GLOB ? LIMIT 1025",
                                                  arguments: ["c\(info.column ?? 0)", glob.lowercased()])) ?? []
                if terms.count > 1024 { throw ElasticsearchError(status: 400, type: "too_many_clauses", reason: "maxClauseCount is set to 1024") }
                if terms.isEmpty { return .none }
                return .constant(.fts(expression: Self.column(info) + "(" + terms.map { "\"\($0)\"" }.joined(separator: " OR ") + ")", boost: 1), boost: boost)
            }
            guard info.type == .keyword else { return .none }
            return .filter(sql: "d.rowid IN (SELECT doc FROM vals WHERE field = ? AND v GLOB ?)", arguments: [info.id.databaseValue, glob.databaseValue], boost: boost)
        case .ids(let ids):
            if ids.isEmpty { return .none }
            return .filter(sql: "d.doc_id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", ")))", arguments: ids.map(\.databaseValue), boost: 1)
        case .bool(let bool):
            func all(_ queries: [Query]) throws(ElasticsearchError) -> [CompiledQuery] {
                var result: [CompiledQuery] = []
                for query in queries { result.append(try compile(query)) }
                return result
            }
            return .bool(must: try all(bool.must), should: try all(bool.should), filter: try all(bool.filter),
                         mustNot: try all(bool.mustNot), minimumShould: bool.requiredShouldCount, boost: bool.boost)
        case .constantScore(let filter, let boost):
            return .constant(try compile(filter), boost: boost)
        }
    }

    /// `match`/`match_phrase` on one field, by type: FTS for text, exact value otherwise.
    private func textQuery(_ info: FieldInfo, text: String, phrase: Bool, op: Query.Operator, boost: Double) throws(ElasticsearchError) -> CompiledQuery {
        if info.type == .text {
            guard let expression = Self.ftsExpression(Self.column(info), text: text, phrase: phrase, op: op) else { return .none }
            return .fts(expression: expression, boost: boost)
        }
        guard let stored = try storedValue(info, .string(text)) else { return .none }
        return .filter(sql: "d.rowid IN (SELECT doc FROM vals WHERE field = ? AND v = ?)", arguments: [info.id.databaseValue, stored], boost: boost)
    }

    static func column(_ info: FieldInfo) -> String { "{c\(info.column ?? 0)} : " }

    static func ftsExpression(_ filter: String, text: String, phrase: Bool, op: Query.Operator) -> String? {
        let words = tokens(text)
        if words.isEmpty { return nil }
        if phrase { return filter + "\"" + words.joined(separator: " ") + "\"" }
        return filter + "(" + words.map { "\"\($0)\"" }.joined(separator: op == .and ? " AND " : " OR ") + ")"
    }

    /// Words as FTS5's `unicode61` tokenizer (and ES's standard analyzer, closely) makes them:
    /// runs of letters and digits, lowercased.
    static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                result.append(current.lowercased())
                current = ""
            }
        }
        if !current.isEmpty { result.append(current.lowercased()) }
        return result
    }

    static func text(of value: JSON) -> String? {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return JSON.javaDoubleText(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    /// ES wildcard (`*`, `?`, `\` escapes) as a SQLite GLOB pattern.
    static func glob(_ pattern: String) -> String {
        var result = ""
        var escaped = false
        for character in pattern {
            if escaped { result += character == "*" || character == "?" || character == "[" ? "[\(character)]" : String(character); escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "[": result += "[[]"
            default: result.append(character)
            }
        }
        return result
    }

    /// A query value converted to what `vals` stores for the field's type; nil when it cannot
    /// match. Malformed numbers/dates fail like ES (`query_shard_exception`).
    func storedValue(_ info: FieldInfo, _ value: JSON, roundUp: Bool = false) throws(ElasticsearchError) -> DatabaseValue? {
        let text = Self.text(of: value)
        func failure(_ reason: String) -> ElasticsearchError {
            ElasticsearchError(status: 400, type: "query_shard_exception", reason: "failed to create query: \(reason)",
                               metadata: ElasticsearchError.indexMetadata(index.name, uuid: index.uuid))
        }
        switch info.type {
        case .keyword, .text:
            return text?.databaseValue
        case .long, .integer, .short, .byte:
            if let number = value.intValue { return number.databaseValue }
            if let double = value.doubleValue ?? text.flatMap(Double.init), double.isFinite {
                // ES's `Numbers.toLong`: a whole number beyond a long is refused, not converted
                // (found by fuzz-query-dsl: `q=year:>2000…0` trapped in `Int64(_:)`).
                guard double >= -0x1p63, double < 0x1p63 else { throw failure("Value [\(text ?? value.serialized())] is out of range for a long") }
                let rounded = roundUp ? double.rounded(.up) : double.rounded(.down)
                if rounded != double { return double.databaseValue }
                return Int64(rounded).databaseValue
            }
            throw failure("For input string: \"\(text ?? value.serialized())\"")
        case .float, .double:
            guard let number = value.doubleValue ?? text.flatMap(Double.init) else { throw failure("For input string: \"\(text ?? value.serialized())\"") }
            return (info.type == .float ? Double(Float(number)) : number).databaseValue
        case .date:
            if let number = value.intValue { return number.databaseValue }
            guard let text, let millis = DateMath.resolve(text, now: now, roundUp: roundUp) else {
                throw failure("failed to parse date field [\(text ?? value.serialized())] with format [strict_date_optional_time||epoch_millis]")
            }
            return millis.databaseValue
        case .boolean:
            switch text {
            case "true": return 1.databaseValue
            case "false": return 0.databaseValue
            default: throw failure("Can't parse boolean value [\(text ?? value.serialized())], expected [true] or [false]")
            }
        case .object:
            return nil
        }
    }
}
