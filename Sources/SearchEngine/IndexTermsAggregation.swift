import JSONValue

/// `terms` on `_index`: a bucket per searched index holding matching documents, as ES
/// aggregates its `_index` metadata field (the `_index` field page shows exactly this), with the
/// `terms` options and sub-aggregations narrowed to the index.
extension AggregationExecution {
    func indexTerms(_ aggregation: Aggregation, size: Int, orderByKey: Bool, ascending: Bool, minDocCount: Int,
                    filter: AggregationFilter) throws -> JSON {
        var groups: [(name: String, count: Int64, filter: AggregationFilter)] = []
        for target in targets {
            let range = target.index.rowidRange
            let narrowed = filter.adding("doc BETWEEN \(range.lowerBound) AND \(range.upperBound)", [])
            let count = try documentCount(narrowed)
            if count >= minDocCount { groups.append((target.index.name, count, narrowed)) }
        }
        groups.sort { a, b in
            if orderByKey { return ascending ? a.name < b.name : a.name > b.name }
            if a.count != b.count { return ascending ? a.count < b.count : a.count > b.count }
            return a.name < b.name
        }
        var buckets: [JSON] = []
        for group in groups.prefix(size) {
            var bucket: JSONObject = ["key": .string(group.name), "doc_count": .int(group.count)]
            try addSubAggregations(aggregation, &bucket, group.filter)
            buckets.append(.object(bucket))
        }
        let other = groups.dropFirst(size).map(\.count).reduce(0, +)
        return ["doc_count_error_upper_bound": 0, "sum_other_doc_count": .int(other), "buckets": .array(buckets)]
    }
}
