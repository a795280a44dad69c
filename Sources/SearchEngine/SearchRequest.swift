import JSONValue

/// One `sort` entry: a field, `_score` or `_doc`, with order and missing-value placement.
public struct SortField: Sendable, Equatable {
    public var field: String
    public var descending: Bool
    public var missingFirst = false
    public var unmappedType: String?
}

/// How `hits.total` is counted (`track_total_hits`: true, false or a threshold; default 10,000).
public enum TrackTotalHits: Sendable, Equatable {
    case exact, disabled, upTo(Int)
}

/// A parsed `_search` request: body keys and URL parameters (`q`, `from`, `size`, `sort`,
/// `_source`, `track_total_hits`, `df`, `default_operator`). Parsing is separate from execution so
/// the caller can authorize the target indices first.
public struct SearchRequest: Sendable, Equatable {
    public var query: Query = .matchAll(boost: 1)
    public var from = 0
    public var size = 10
    public var sort: [SortField] = []
    public var source = SourceFilter()
    public var trackTotalHits: TrackTotalHits = .upTo(10_000)
    public var aggregations: [Aggregation] = []
    public var highlight: Highlight?
    public var version = false
    public var seqNoPrimaryTerm = false
    public var trackScores = false
    /// `rest_total_hits_as_int=true`: `hits.total` as a bare number (the ES 6 shape), counted exactly.
    public var totalHitsAsInt = false
    /// `search_after`: the sort values of the last hit of the previous page.
    public var searchAfter: [JSON]?

    /// ES's `index.max_result_window`.
    public static let maxResultWindow = 10_000

    public init() {}

    public static func parse(body: JSON?, parameters: [String: String] = [:]) throws(ElasticsearchError) -> SearchRequest {
        var request = SearchRequest()
        if let body, !body.isNull {
            guard let object = body.objectValue else { throw .parsing("Expected [START_OBJECT] but found [\(body.tokenName)]") }
            for (key, value) in object {
                switch key {
                case "query": request.query = try Query.parse(value)
                case "from": request.from = try integer(value, key)
                case "size": request.size = try integer(value, key)
                case "sort": request.sort = try parseSort(value)
                case "_source": request.source = try SourceFilter(parsing: value)
                case "track_total_hits":
                    if let flag = value.boolValue { request.trackTotalHits = flag ? .exact : .disabled }
                    else { request.trackTotalHits = .upTo(try integer(value, key)) }
                case "aggs", "aggregations": request.aggregations = try Aggregation.parseAll(value)
                case "highlight": request.highlight = try Highlight(parsing: value)
                case "version": request.version = value.boolValue ?? false
                case "seq_no_primary_term": request.seqNoPrimaryTerm = value.boolValue ?? false
                case "track_scores": request.trackScores = value.boolValue ?? false
                case "search_after":
                    guard let values = value.arrayValue, !values.isEmpty else {
                        throw .xContentParse("[search_after] must be an array of the previous page's last sort values")
                    }
                    request.searchAfter = values
                case "timeout", "stored_fields", "explain", "terminate_after":
                    continue
                default:
                    throw .parsing("Unknown key for a \(value.tokenName) in [\(key)].")
                }
            }
        }
        try request.apply(parameters)
        if request.from < 0 { throw .illegalArgument("[from] parameter cannot be negative") }
        if let values = request.searchAfter {
            if request.from > 0 { throw .illegalArgument("`from` parameter must be set to 0 when `search_after` is used.") }
            let sortCount = max(request.sort.count, 1)
            if values.count != sortCount { throw .illegalArgument("search_after has \(values.count) value(s) but sort has \(sortCount).") }
        }
        if request.size < 0 { throw .illegalArgument("[size] parameter cannot be negative, found [\(request.size)]") }
        if request.from + request.size > maxResultWindow {
            throw .illegalArgument("Result window is too large, from + size must be less than or equal to: [\(maxResultWindow)] but was [\(request.from + request.size)]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.")
        }
        return request
    }

    private mutating func apply(_ parameters: [String: String]) throws(ElasticsearchError) {
        if let text = parameters["q"] {
            let fields = parameters["df"].map { [$0] } ?? ["*"]
            let op: Query.Operator = parameters["default_operator"]?.lowercased() == "and" ? .and : .or
            var parser = QueryStringParser(text: text, defaultFields: fields, defaultOperator: op, simple: false)
            query = try parser.parse()
        }
        if let text = parameters["from"] { from = try Self.integer(.string(text), "from") }
        if let text = parameters["size"] { size = try Self.integer(.string(text), "size") }
        if let text = parameters["sort"] { sort = Self.parseSortParameter(text) }
        if parameters["_source"] != nil || parameters["_source_includes"] != nil || parameters["_source_excludes"] != nil {
            source = SourceFilter(source: parameters["_source"], includes: parameters["_source_includes"], excludes: parameters["_source_excludes"])
        }
        if let text = parameters["track_total_hits"] {
            switch text {
            case "true": trackTotalHits = .exact
            case "false": trackTotalHits = .disabled
            default: trackTotalHits = .upTo(try Self.integer(.string(text), "track_total_hits"))
            }
        }
        if let text = parameters["rest_total_hits_as_int"], text.isEmpty || text == "true" {
            // ES counts exactly for this shape and refuses a request that limits the count.
            switch trackTotalHits {
            case .exact, .upTo(Self.defaultTotalHitsLimit): trackTotalHits = .exact
            case .disabled: throw .illegalArgument("[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got -1")
            case .upTo(let limit): throw .illegalArgument("[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got \(limit)")
            }
            totalHitsAsInt = true
        }
    }

    static let defaultTotalHitsLimit = 10_000

    /// `?sort=field:order,...` as ES's `RestSearchAction` reads it: the LAST `:` splits field and
    /// order, `asc`/`desc` set the order and anything else keeps the default (`_score`
    /// descending, fields ascending). Found by fuzzing (issue 9): `sort=:` used to crash the node.
    static func parseSortParameter(_ text: String) -> [SortField] {
        text.split(separator: ",").map { part in
            guard let colon = part.lastIndex(of: ":") else { return SortField(field: String(part), descending: part == "_score") }
            let field = String(part[..<colon])
            let order = part[part.index(after: colon)...]
            return SortField(field: field, descending: order == "desc" || (order != "asc" && field == "_score"))
        }
    }

    static func integer(_ value: JSON, _ key: String) throws(ElasticsearchError) -> Int {
        if let number = value.intValue { return Int(number) }
        if let text = value.stringValue, let number = Int(text) { return number }
        throw .illegalArgument("Failed to parse int parameter [\(key)] with value [\(value.stringValue ?? value.serialized())]")
    }

    static func parseSort(_ value: JSON) throws(ElasticsearchError) -> [SortField] {
        var result: [SortField] = []
        for item in value.arrayValue ?? [value] {
            if let field = item.stringValue {
                result.append(SortField(field: field, descending: field == "_score"))
                continue
            }
            guard let object = item.objectValue, object.count == 1, let (field, spec) = object.first(where: { _ in true }) else {
                throw .parsing("[sort] malformed sort entry, expected a field name or an object with one field")
            }
            var entry = SortField(field: field, descending: field == "_score")
            if let order = spec.stringValue {
                entry.descending = try parseOrder(order)
            } else if let options = spec.objectValue {
                for (key, option) in options {
                    switch key {
                    case "order": entry.descending = try parseOrder(option.stringValue ?? "")
                    case "missing": entry.missingFirst = option.stringValue == "_first"
                    case "unmapped_type": entry.unmappedType = option.stringValue
                    case "mode", "format", "numeric_type": continue
                    default: throw .parsing("[field_sort] unknown field [\(key)]")
                    }
                }
            } else {
                throw .parsing("[sort] malformed sort entry for [\(field)]")
            }
            result.append(entry)
        }
        return result
    }

    private static func parseOrder(_ text: String) throws(ElasticsearchError) -> Bool {
        switch text.lowercased() {
        case "asc": return false
        case "desc": return true
        default: throw .illegalArgument("Unknown SortOrder [\(text)]")
        }
    }
}
