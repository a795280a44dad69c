import Foundation
import GRDB
import JSONValue

/// The documents an aggregation runs over, as conditions on `vals.doc` (empty = every document
/// of the target indices, which the per-index field ids already restrict to).
struct AggregationFilter {
    var conditions: [(sql: String, arguments: [DatabaseValue])] = []

    init() {}
    init(sql: String, arguments: [DatabaseValue]) { conditions = [(sql, arguments)] }

    func adding(_ sql: String, _ arguments: [DatabaseValue]) -> AggregationFilter {
        var copy = self
        copy.conditions.append((sql, arguments))
        return copy
    }

    var sql: String { conditions.map { " AND " + $0.sql }.joined() }
    var arguments: [DatabaseValue] { conditions.flatMap(\.arguments) }
}

/// Computes aggregations in SQL over the typed `vals` table (ES doc values), so a `terms`
/// aggregation is one index range scan grouped by value; bucket sub-aggregations narrow the
/// filter to the bucket's documents.
struct AggregationExecution {
    let db: Database
    let targets: [SearchTarget]
    /// The clock of date math in `filter`/`filters` queries (`now-1d`).
    var now = Int64(Date().timeIntervalSince1970 * 1000)

    func run(_ aggregations: [Aggregation], filter: AggregationFilter) throws -> JSON {
        var result = JSONObject()
        for aggregation in aggregations { result[aggregation.name] = try run(aggregation, filter: filter) }
        return .object(result)
    }

    func fields(_ name: String, _ aggregation: String) throws -> (ids: String, type: FieldType)? {
        let infos = targets.compactMap { $0.index.field(name) }
        guard let first = infos.first else { return nil }
        if first.type == .text { throw ElasticsearchError.fielddata(name) }
        return (infos.map { String($0.id) }.joined(separator: ", "), first.type)
    }

    private func run(_ aggregation: Aggregation, filter: AggregationFilter) throws -> JSON {
        switch aggregation.kind {
        case .metric(let metric, let field):
            return try self.metric(metric, field: field, filter: filter, name: aggregation.name)
        case .stats(let field, let extended, let sigma):
            return try stats(field: field, extended: extended, sigma: sigma, filter: filter)
        case .filter(let query):
            return .object(try bucket(aggregation, filter.adding(try matching(query))))
        case .filters(let filters, let keyed, let otherBucketKey):
            return try filtersBuckets(aggregation, filters, keyed: keyed, otherBucketKey: otherBucketKey, filter: filter)
        case .terms("_index", let size, let orderByKey, let ascending, let minDocCount):
            return try indexTerms(aggregation, size: size, orderByKey: orderByKey, ascending: ascending, minDocCount: minDocCount, filter: filter)
        case .terms(let field, let size, let orderByKey, let ascending, let minDocCount):
            guard let (ids, type) = try fields(field, "terms") else {
                return ["doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": []]
            }
            var groups = try Row.fetchAll(db, sql: "SELECT v, count(*) FROM vals WHERE field IN (\(ids))\(filter.sql) GROUP BY v",
                                          arguments: StatementArguments(filter.arguments)).map { ($0[0] as DatabaseValue, $0[1] as Int64) }
            groups = groups.filter { $0.1 >= Int64(minDocCount) }
            groups.sort { a, b in
                if orderByKey { return ascending ? Self.less(a.0, b.0) : Self.less(b.0, a.0) }
                if a.1 != b.1 { return ascending ? a.1 < b.1 : a.1 > b.1 }
                return Self.less(a.0, b.0)
            }
            let shown = groups.prefix(size)
            let other = groups.dropFirst(size).reduce(Int64(0)) { $0 + $1.1 }
            var buckets: [JSON] = []
            for (key, count) in shown {
                var bucket: JSONObject = ["key": Self.keyJSON(key, type: type)]
                if type == .date, let millis = Int64.fromDatabaseValue(key) { bucket["key_as_string"] = .string(DateMath.format(millis)) }
                if type == .boolean { bucket["key_as_string"] = key == 1.databaseValue ? "true" : "false" }
                bucket["doc_count"] = .int(count)
                try addSubAggregations(aggregation, &bucket, filter.adding("doc IN (SELECT doc FROM vals WHERE field IN (\(ids)) AND v = ?)", [key]))
                buckets.append(.object(bucket))
            }
            return ["doc_count_error_upper_bound": 0, "sum_other_doc_count": .int(other), "buckets": .array(buckets)]
        case .histogram(let field, let interval, let minDocCount):
            guard let (ids, _) = try fields(field, "histogram") else { return ["buckets": []] }
            let key = "(CAST(v / ?1 AS INTEGER) - (v / ?1 < CAST(v / ?1 AS INTEGER))) * ?1"
            let counts = try bucketCounts(ids: ids, keyExpression: key, leading: [interval.databaseValue], filter: filter)
            let keys = fill(counts.map { Double.fromDatabaseValue($0.0) ?? 0 }, minDocCount: minDocCount) { $0 + interval }
            let countByKey = Dictionary(counts.map { (Double.fromDatabaseValue($0.0) ?? 0, $0.1) }, uniquingKeysWith: +)
            var buckets: [JSON] = []
            for bucketKey in keys {
                let count = countByKey[bucketKey] ?? 0
                if count < minDocCount { continue }
                var bucket: JSONObject = ["key": .double(bucketKey), "doc_count": .int(count)]
                try addSubAggregations(aggregation, &bucket, filter.adding("doc IN (SELECT doc FROM vals WHERE field IN (\(ids)) AND v >= ? AND v < ?)",
                                                                         [bucketKey.databaseValue, (bucketKey + interval).databaseValue]))
                buckets.append(.object(bucket))
            }
            return ["buckets": .array(buckets)]
        case .dateHistogram(let field, let interval, let minDocCount):
            guard let (ids, _) = try fields(field, "date_histogram") else { return ["buckets": []] }
            let (key, next) = Self.dateBucket(interval)
            let counts = try bucketCounts(ids: ids, keyExpression: key, leading: [], filter: filter)
            let keys = fill(counts.map { Int64.fromDatabaseValue($0.0) ?? 0 }, minDocCount: minDocCount, next)
            let countByKey = Dictionary(counts.map { (Int64.fromDatabaseValue($0.0) ?? 0, $0.1) }, uniquingKeysWith: +)
            var buckets: [JSON] = []
            for bucketKey in keys {
                let count = countByKey[bucketKey] ?? 0
                if count < minDocCount { continue }
                var bucket: JSONObject = ["key_as_string": .string(DateMath.format(bucketKey)), "key": .int(bucketKey), "doc_count": .int(count)]
                try addSubAggregations(aggregation, &bucket, filter.adding("doc IN (SELECT doc FROM vals WHERE field IN (\(ids)) AND v >= ? AND v < ?)",
                                                                         [bucketKey.databaseValue, next(bucketKey).databaseValue]))
                buckets.append(.object(bucket))
            }
            return ["buckets": .array(buckets)]
        }
    }

    func addSubAggregations(_ aggregation: Aggregation, _ bucket: inout JSONObject, _ filter: AggregationFilter) throws {
        for sub in aggregation.subAggregations { bucket[sub.name] = try run(sub, filter: filter) }
    }

    /// Document counts per bucket key (a document with several values in one bucket counts once).
    private func bucketCounts(ids: String, keyExpression: String, leading: [DatabaseValue], filter: AggregationFilter) throws -> [(DatabaseValue, Int64)] {
        let sql = "SELECT k, count(DISTINCT doc) FROM (SELECT doc, \(keyExpression) AS k FROM vals WHERE field IN (\(ids))\(filter.sql)) GROUP BY k ORDER BY k"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(leading + filter.arguments)).map { ($0[0] as DatabaseValue, $0[1] as Int64) }
    }

    /// Keys from the first to the last bucket, with empty buckets in between when
    /// `min_doc_count` is 0 (the histogram default in ES).
    private func fill<Key: Comparable>(_ keys: [Key], minDocCount: Int, _ next: (Key) -> Key) -> [Key] {
        guard minDocCount == 0, let first = keys.first, let last = keys.last else { return keys }
        var result: [Key] = []
        var key = first
        while key <= last && result.count < 100_000 {
            result.append(key)
            key = next(key)
        }
        return result
    }

    /// SQL for the bucket key of an epoch-millis `v`, and the key of the following bucket.
    static func dateBucket(_ interval: DateInterval) -> (String, (Int64) -> Int64) {
        func fixed(_ size: Int64, offset: Int64 = 0) -> (String, (Int64) -> Int64) {
            ("(v - ((((v - \(offset)) % \(size)) + \(size)) % \(size)))", { $0 + size })
        }
        switch interval {
        case .fixed(let millis): return fixed(millis)
        case .calendar(let unit):
            switch unit {
            case "m": return fixed(60_000)
            case "h": return fixed(3_600_000)
            case "d": return fixed(86_400_000)
            case "w": return fixed(604_800_000, offset: 345_600_000)  // weeks start on Monday 1970-01-05
            case "M": return ("CAST(strftime('%s', v / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000", { DateMath.add($0, amount: 1, unit: "M")! })
            case "q":
                return ("CAST(strftime('%s', v / 1000, 'unixepoch', 'start of month', '-' || ((CAST(strftime('%m', v / 1000, 'unixepoch') AS INTEGER) - 1) % 3) || ' months') AS INTEGER) * 1000",
                        { DateMath.add($0, amount: 3, unit: "M")! })
            default: return ("CAST(strftime('%s', v / 1000, 'unixepoch', 'start of year') AS INTEGER) * 1000", { DateMath.add($0, amount: 1, unit: "y")! })
            }
        }
    }

    private func metric(_ metric: AggregationKind.Metric, field: String, filter: AggregationFilter, name: String) throws -> JSON {
        guard let (ids, type) = try fields(field, metric.rawValue) else {
            switch metric {
            case .sum: return ["value": 0.0]
            case .valueCount, .cardinality: return ["value": 0]
            default: return ["value": .null]
            }
        }
        if type == .keyword && [.min, .max, .avg, .sum].contains(metric) {
            throw ElasticsearchError.illegalArgument("Field [\(field)] of type [keyword] is not supported for aggregation [\(metric.rawValue)]")
        }
        let function = switch metric {
        case .min: "min(v)"
        case .max: "max(v)"
        case .avg: "avg(v)"
        case .sum: "total(v)"
        case .valueCount: "count(v)"
        case .cardinality: "count(DISTINCT v)"
        }
        let value = try DatabaseValue.fetchOne(db, sql: "SELECT \(function) FROM vals WHERE field IN (\(ids))\(filter.sql)",
                                               arguments: StatementArguments(filter.arguments)) ?? .null
        switch metric {
        case .valueCount, .cardinality:
            return ["value": .int(Int64.fromDatabaseValue(value) ?? 0)]
        default:
            guard let number = Double.fromDatabaseValue(value) else { return ["value": .null] }
            var result: JSONObject = ["value": .double(number)]
            if type == .date && metric != .sum { result["value_as_string"] = .string(DateMath.format(approximately: number)) }
            return .object(result)
        }
    }

    /// A bucket key or sort value as JSON, by field type (dates and booleans as numbers, like ES).
    static func keyJSON(_ value: DatabaseValue, type: FieldType) -> JSON {
        switch value.storage {
        case .int64(let number): return type == .float || type == .double ? .double(Double(number)) : .int(number)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        default: return .null
        }
    }

    /// SQLite's ordering of values: numbers before text, numbers numerically, text bytewise.
    static func less(_ a: DatabaseValue, _ b: DatabaseValue) -> Bool {
        switch (a.storage, b.storage) {
        case (.int64(let x), .int64(let y)): return x < y
        case (.string(let x), .string(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        case (.string, _): return false
        case (_, .string): return true
        default: return (Double.fromDatabaseValue(a) ?? 0) < (Double.fromDatabaseValue(b) ?? 0)
        }
    }
}
