import GRDB
import JSONValue

/// `filter` and `filters`: buckets defined by queries rather than by values. A query is
/// compiled against each target index's own mapping, like the search's query, and narrows the
/// bucket's documents for its `doc_count` and its sub-aggregations; the `other` bucket of
/// `filters` holds the documents no named query matched.
extension AggregationExecution {
    /// The documents of the targets that `query` matches, as a condition on `doc`.
    func matching(_ query: Query) throws -> (sql: String, arguments: [DatabaseValue]) {
        var parts: [(sql: String, arguments: [DatabaseValue])] = []
        for target in targets {
            let compiled = try QueryCompiler(index: target.index, now: now, db: db).compile(query)
            parts.append(SearchTarget(index: target.index, query: compiled).condition)
        }
        if parts.isEmpty { return ("0", []) }
        return ("doc IN (SELECT d.rowid FROM docs d WHERE \(parts.map(\.sql).joined(separator: " OR ")))", parts.flatMap(\.arguments))
    }

    /// `{"doc_count": n, <sub-aggregations>}` over the documents `filter` selects.
    func bucket(_ aggregation: Aggregation, _ filter: AggregationFilter) throws -> JSONObject {
        var bucket: JSONObject = ["doc_count": .int(try documentCount(filter))]
        try addSubAggregations(aggregation, &bucket, filter)
        return bucket
    }

    func filtersBuckets(_ aggregation: Aggregation, _ filters: [NamedFilter], keyed: Bool, otherBucketKey: String?,
                        filter: AggregationFilter) throws -> JSON {
        var buckets: [(String, JSON)] = []
        var others = filter
        for named in filters {
            let condition = try matching(named.query)
            buckets.append((named.key, .object(try bucket(aggregation, filter.adding(condition)))))
            others = others.adding("NOT (\(condition.sql))", condition.arguments)
        }
        if let otherBucketKey { buckets.append((otherBucketKey, .object(try bucket(aggregation, others)))) }
        return keyed ? ["buckets": .object(JSONObject(buckets))] : ["buckets": .array(buckets.map(\.1))]
    }

    /// How many documents of the targets `filter` selects.
    func documentCount(_ filter: AggregationFilter) throws -> Int64 {
        let ranges = targets.map { "rowid BETWEEN \($0.index.searchableRowids.lowerBound) AND \($0.index.searchableRowids.upperBound)" }
        guard !ranges.isEmpty else { return 0 }
        return try Int64.fetchOne(db, sql: "SELECT count(*) FROM (SELECT rowid AS doc FROM docs WHERE \(ranges.joined(separator: " OR "))) WHERE 1\(filter.sql)",
                                  arguments: StatementArguments(filter.arguments)) ?? 0
    }
}

extension AggregationFilter {
    func adding(_ condition: (sql: String, arguments: [DatabaseValue])) -> AggregationFilter {
        adding(condition.sql, condition.arguments)
    }
}
