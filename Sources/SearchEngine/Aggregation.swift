import JSONValue

/// A calendar (`1M`, `month`) or fixed (`90m`, `2d`) date histogram interval.
public enum DateInterval: Sendable, Equatable {
    /// A DateMath unit character: `m h d w M q y`.
    case calendar(Character)
    case fixed(milliseconds: Int64)

    static let calendarNames: [String: Character] = [
        "1m": "m", "minute": "m", "1h": "h", "hour": "h", "1d": "d", "day": "d", "1w": "w", "week": "w",
        "1M": "M", "month": "M", "1q": "q", "quarter": "q", "1y": "y", "year": "y",
    ]

    static func parseFixed(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let amount = Int64(text.dropLast(suffix.count)), amount > 0 { return amount * factor }
        }
        return nil
    }
}

/// The aggregations this engine computes (issue 3 list); others are refused by name.
public indirect enum AggregationKind: Sendable, Equatable {
    public enum Metric: String, Sendable, CaseIterable { case min, max, avg, sum, valueCount = "value_count", cardinality }
    case terms(field: String, size: Int, orderByKey: Bool, ascending: Bool, minDocCount: Int)
    case histogram(field: String, interval: Double, minDocCount: Int)
    case dateHistogram(field: String, interval: DateInterval, minDocCount: Int)
    case metric(Metric, field: String)
    /// `stats`, or `extended_stats` with its `sigma` (standard deviations for the bounds).
    case stats(field: String, extended: Bool, sigma: Double)
    /// One bucket of the documents that match a query.
    case filter(Query)
    /// A bucket per named query (`keyed`: an object of buckets; else an array in request order),
    /// and an `other` bucket of the rest when `otherBucketKey` is set.
    case filters([NamedFilter], keyed: Bool, otherBucketKey: String?)
}

/// One query of a `filters` aggregation and the key of its bucket.
public struct NamedFilter: Sendable, Equatable {
    public var key: String
    public var query: Query
}

extension AggregationKind {
    /// Metric aggregations compute values and take no sub-aggregations.
    var isMetric: Bool {
        switch self {
        case .metric, .stats: return true
        case .terms, .histogram, .dateHistogram, .filter, .filters: return false
        }
    }
}

/// `"name": {"<type>": {...}, "aggs": {...}}`.
public struct Aggregation: Sendable, Equatable {
    public var name: String
    public var kind: AggregationKind
    public var subAggregations: [Aggregation] = []

    static func parseAll(_ json: JSON, depth: Int = 0) throws(ElasticsearchError) -> [Aggregation] {
        guard depth < 16 else { throw .parsing("aggregation nesting is deeper than the limit of [16]") }
        guard let object = json.objectValue else { throw .parsing("Expected [START_OBJECT] under [aggregations], but got a [\(json.tokenName)]") }
        var result: [Aggregation] = []
        for (name, definition) in object {
            result.append(try parse(name: name, definition, depth: depth))
        }
        return result
    }

    static func parse(name: String, _ json: JSON, depth: Int) throws(ElasticsearchError) -> Aggregation {
        guard let object = json.objectValue else { throw .parsing("Expected [START_OBJECT] under [\(name)], but got a [\(json.tokenName)] in [\(name)]") }
        var kind: AggregationKind?
        var subAggregations: [Aggregation] = []
        for (key, body) in object {
            switch key {
            case "aggs", "aggregations":
                subAggregations = try parseAll(body, depth: depth + 1)
            case "meta":
                continue
            default:
                if kind != nil {
                    throw .parsing("Found two aggregation type definitions in [\(name)]: [\(key)]")
                }
                kind = try parseKind(key, body, name: name)
            }
        }
        guard let kind else { throw .parsing("Missing definition for aggregation [\(name)]") }
        if kind.isMetric, !subAggregations.isEmpty {
            throw ElasticsearchError(status: 400, type: "aggregation_initialization_exception",
                                     reason: "Aggregator [\(name)] of type [\(kindName(kind))] cannot accept sub-aggregations")
        }
        return Aggregation(name: name, kind: kind, subAggregations: subAggregations)
    }

    static func kindName(_ kind: AggregationKind) -> String {
        switch kind {
        case .terms: return "terms"
        case .histogram: return "histogram"
        case .dateHistogram: return "date_histogram"
        case .metric(let metric, _): return metric.rawValue
        case .stats(_, let extended, _): return extended ? "extended_stats" : "stats"
        case .filter: return "filter"
        case .filters: return "filters"
        }
    }

    private static func parseKind(_ type: String, _ body: JSON, name: String) throws(ElasticsearchError) -> AggregationKind {
        if type == "filter" { return .filter(try Query.parse(body)) }
        if type == "filters" { return try parseFilters(body, name: name) }
        guard let parameters = body.objectValue else { throw .parsing("Expected [START_OBJECT] under [\(type)], but got a [\(body.tokenName)] in [\(name)]") }
        func allow(_ keys: Set<String>) throws(ElasticsearchError) {
            for key in parameters.keys where !keys.contains(key) {
                throw .parsing("[\(type)] unknown field [\(key)]")
            }
        }
        guard let field = parameters["field"]?.stringValue else {
            if AggregationKind.Metric(rawValue: type) != nil || ["terms", "histogram", "date_histogram", "stats", "extended_stats"].contains(type) {
                throw .illegalArgument("Required one of fields [field, script], but none were specified. ")
            }
            throw unknownType(type)
        }
        func integer(_ key: String, _ fallback: Int) throws(ElasticsearchError) -> Int {
            guard let value = parameters[key] else { return fallback }
            guard let number = value.intValue else { throw .parsing("[\(type)] failed to parse field [\(key)]") }
            return Int(number)
        }
        switch type {
        case "terms":
            try allow(["field", "size", "order", "min_doc_count", "shard_size", "show_term_doc_count_error"])
            var orderByKey = false, ascending = false
            if let order = parameters["order"]?.objectValue, let (key, direction) = order.first(where: { _ in true }) {
                guard key == "_count" || key == "_key", let text = direction.stringValue, text == "asc" || text == "desc" else {
                    throw .parsing("[terms] unsupported order [\(order.keys.joined())]; use _count or _key with asc or desc")
                }
                orderByKey = key == "_key"
                ascending = text == "asc"
            }
            let size = try integer("size", 10)
            if size <= 0 { throw .illegalArgument("[size] must be greater than 0. Found [\(size)] in [\(name)]") }
            return .terms(field: field, size: size, orderByKey: orderByKey, ascending: ascending, minDocCount: try integer("min_doc_count", 1))
        case "histogram":
            try allow(["field", "interval", "min_doc_count"])
            guard let interval = parameters["interval"]?.doubleValue, interval > 0 else {
                throw .illegalArgument("[interval] must be >0 for histogram aggregation [\(name)]")
            }
            return .histogram(field: field, interval: interval, minDocCount: try integer("min_doc_count", 0))
        case "date_histogram":
            try allow(["field", "calendar_interval", "fixed_interval", "interval", "min_doc_count", "format", "time_zone"])
            let interval: DateInterval
            if let text = parameters["calendar_interval"]?.stringValue {
                guard let unit = DateInterval.calendarNames[text] else {
                    throw .illegalArgument("The supplied interval [\(text)] could not be parsed as a calendar interval.")
                }
                interval = .calendar(unit)
            } else if let text = parameters["fixed_interval"]?.stringValue {
                guard let millis = DateInterval.parseFixed(text) else {
                    throw .illegalArgument("failed to parse setting [date_histogram.fixedInterval] with value [\(text)] as a time value: unit is missing or unrecognized")
                }
                interval = .fixed(milliseconds: millis)
            } else if let text = parameters["interval"]?.stringValue {
                if let unit = DateInterval.calendarNames[text] { interval = .calendar(unit) }
                else if let millis = DateInterval.parseFixed(text) { interval = .fixed(milliseconds: millis) }
                else { throw .illegalArgument("Unable to parse interval [\(text)]") }
            } else {
                throw .illegalArgument("Invalid interval specified, must be non-null and non-empty")
            }
            if let zone = parameters["time_zone"]?.stringValue, !["UTC", "Z", "+00:00", "Etc/UTC", "GMT"].contains(zone) {
                throw .illegalArgument("[date_histogram] time_zone [\(zone)] is not supported by this node (UTC only)")
            }
            return .dateHistogram(field: field, interval: interval, minDocCount: try integer("min_doc_count", 0))
        case "stats":
            try allow(["field"])
            return .stats(field: field, extended: false, sigma: 2)
        case "extended_stats":
            try allow(["field", "sigma"])
            let sigma = parameters["sigma"].map { $0.doubleValue ?? -1 } ?? 2
            if sigma < 0 { throw .illegalArgument("[sigma] must be greater than or equal to 0. Found [\(parameters["sigma"].map { $0.serialized() } ?? "")] in [\(name)]") }
            return .stats(field: field, extended: true, sigma: sigma)
        default:
            guard let metric = AggregationKind.Metric(rawValue: type) else { throw unknownType(type) }
            try allow(metric == .cardinality ? ["field", "precision_threshold"] : ["field"])
            return .metric(metric, field: field)
        }
    }

    /// `{"filters": {...} | [...], "other_bucket": bool, "other_bucket_key": "..."}`. Named filters
    /// are kept sorted by key, as ES's `FiltersAggregationBuilder` keeps them; anonymous ones in
    /// request order. A key for the other bucket turns it on (its default key is `_other_`).
    private static func parseFilters(_ body: JSON, name: String) throws(ElasticsearchError) -> AggregationKind {
        guard let parameters = body.objectValue else { throw .parsing("Expected [START_OBJECT] under [filters], but got a [\(body.tokenName)]") }
        for (key, value) in parameters where !["filters", "other_bucket", "other_bucket_key"].contains(key) {
            throw .parsing("Unknown key for a \(value.tokenName) in [\(name)]: [\(key)].")
        }
        var filters: [NamedFilter] = []
        var keyed = true
        switch parameters["filters"] {
        case .object(let named)?:
            keyed = true
            for (key, query) in named { filters.append(NamedFilter(key: key, query: try Query.parse(query))) }
            filters.sort { $0.key < $1.key }
        case .array(let anonymous)?:
            keyed = false
            for (position, query) in anonymous.enumerated() { filters.append(NamedFilter(key: String(position), query: try Query.parse(query))) }
        default:
            break
        }
        if filters.isEmpty { throw .illegalArgument("[filters] cannot be empty.") }
        let otherKey = parameters["other_bucket_key"]?.stringValue
        let other = parameters["other_bucket"]?.boolValue ?? (otherKey != nil)
        return .filters(filters, keyed: keyed, otherBucketKey: other ? otherKey ?? "_other_" : nil)
    }

    private static func unknownType(_ type: String) -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "parsing_exception", reason: "Unknown aggregation type [\(type)]",
                           causedBy: ["type": "named_object_not_found_exception", "reason": .string("unknown field [\(type)]")])
    }
}
