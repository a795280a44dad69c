import JSONValue

/// The query DSL clauses this engine executes (issue 3 list). Anything else is refused at parse
/// time with ES's `parsing_exception` naming the clause, never silently ignored.
public indirect enum Query: Sendable, Equatable {
    public enum Operator: String, Sendable { case or, and }
    public enum MultiMatchType: String, Sendable { case bestFields = "best_fields", mostFields = "most_fields", phrase }

    case matchAll(boost: Double)
    case matchNone
    case match(field: String, text: String, operator: Operator, minimumShouldMatch: String?, boost: Double)
    case matchPhrase(field: String, text: String, boost: Double)
    case multiMatch(fields: [String], text: String, type: MultiMatchType, operator: Operator, boost: Double)
    case term(field: String, value: JSON, boost: Double)
    case terms(field: String, values: [JSON], boost: Double)
    case range(field: String, bounds: RangeBounds, boost: Double)
    case exists(field: String)
    case prefix(field: String, value: String, boost: Double)
    case wildcard(field: String, pattern: String, boost: Double)
    case ids([String])
    case bool(BoolQuery)
    case constantScore(filter: Query, boost: Double)
}

/// `gt`/`gte`/`lt`/`lte` of a range query (numbers, strings, dates or date math).
public struct RangeBounds: Sendable, Equatable {
    public var gt: JSON?, gte: JSON?, lt: JSON?, lte: JSON?
}

/// `bool`: `must` and `should` score, `filter` and `must_not` only select.
public struct BoolQuery: Sendable, Equatable {
    public var must: [Query] = []
    public var should: [Query] = []
    public var filter: [Query] = []
    public var mustNot: [Query] = []
    public var minimumShouldMatch: String?
    public var boost = 1.0

    /// How many `should` clauses must match: the explicit value (count or percentage), else 1
    /// when the bool has only `should` clauses, else 0 (ES 7 semantics).
    var requiredShouldCount: Int {
        if let text = minimumShouldMatch {
            let count = should.count
            var value: Int
            if text.hasSuffix("%"), let percent = Int(text.dropLast()) {
                value = count * abs(percent) / 100
                if percent < 0 { value = count - value }
            } else {
                value = Int(text) ?? 0
                if value < 0 { value = count + value }
            }
            return max(0, min(value, count))
        }
        return must.isEmpty && filter.isEmpty && !should.isEmpty ? 1 : 0
    }
}

extension Query {
    /// Bool nesting deeper than this is refused; it keeps hostile bodies from exhausting the stack.
    public static let maxDepth = 64

    /// Parses `{"<clause>": {...}}`.
    public static func parse(_ json: JSON, depth: Int = 0) throws(ElasticsearchError) -> Query {
        guard depth < maxDepth else { throw .parsing("query nesting is deeper than the limit of [\(maxDepth)]") }
        guard let object = json.objectValue else { throw .parsing("[_na] query malformed, must start with start_object") }
        guard let (name, body) = object.first(where: { _ in true }) else { return .matchAll(boost: 1) }
        if object.count > 1 {
            throw .parsing("[\(name)] malformed query, expected [END_OBJECT] but found [FIELD_NAME]")
        }
        var reader = ClauseReader(name: name)
        switch name {
        case "match_all":
            let parameters = try reader.parameters(body, allowed: ["boost"])
            return .matchAll(boost: try reader.boost(parameters))
        case "match_none":
            _ = try reader.parameters(body, allowed: ["boost"])
            return .matchNone
        case "match":
            let (field, parameters) = try reader.field(body, shorthand: "query", allowed: ["query", "operator", "minimum_should_match", "boost", "lenient", "analyzer", "fuzziness", "zero_terms_query"])
            if parameters["fuzziness"] != nil { throw .parsing("[match] query does not support [fuzziness] on this node") }
            return .match(field: field, text: try reader.text(parameters["query"], "query"), operator: try reader.op(parameters["operator"]),
                          minimumShouldMatch: parameters["minimum_should_match"].map { $0.stringValue ?? $0.serialized() }, boost: try reader.boost(parameters))
        case "match_phrase":
            let (field, parameters) = try reader.field(body, shorthand: "query", allowed: ["query", "slop", "boost", "analyzer"])
            if let slop = parameters["slop"], slop.intValue != 0 { throw .parsing("[match_phrase] query does not support [slop] other than 0 on this node") }
            return .matchPhrase(field: field, text: try reader.text(parameters["query"], "query"), boost: try reader.boost(parameters))
        case "multi_match":
            let parameters = try reader.parameters(body, allowed: ["query", "fields", "type", "operator", "boost", "tie_breaker", "lenient"])
            let fields = try (parameters["fields"]?.arrayValue ?? [.string("*")]).map { (item) throws(ElasticsearchError) -> String in
                guard let text = item.stringValue else { throw .parsing("[multi_match] fields must be strings") }
                return text
            }
            let typeName = parameters["type"]?.stringValue ?? "best_fields"
            guard let type = MultiMatchType(rawValue: typeName) else {
                throw .parsing("[multi_match] query does not support type [\(typeName)] on this node")
            }
            return .multiMatch(fields: fields, text: try reader.text(parameters["query"], "query"), type: type,
                               operator: try reader.op(parameters["operator"]), boost: try reader.boost(parameters))
        case "term":
            let (field, parameters) = try reader.field(body, shorthand: "value", allowed: ["value", "boost", "case_insensitive"])
            guard let value = parameters["value"], value.objectValue == nil, value.arrayValue == nil else {
                throw .parsing("[term] query does not support array of values")
            }
            return .term(field: field, value: value, boost: try reader.boost(parameters))
        case "terms":
            guard let object = body.objectValue else { throw .parsing("[terms] query malformed, expected an object") }
            var field: String?, values: [JSON] = [], boost = 1.0
            for (key, value) in object {
                if key == "boost" { boost = value.doubleValue ?? 1; continue }
                guard let items = value.arrayValue else { throw .parsing("[terms] query does not support [\(key)]") }
                if field != nil { throw .parsing("[terms] query does not support multiple fields") }
                field = key
                values = items
            }
            guard let field else { throw .parsing("[terms] query requires a field with an array of values") }
            return .terms(field: field, values: values, boost: boost)
        case "range":
            let (field, parameters) = try reader.field(body, shorthand: nil, allowed: ["gt", "gte", "lt", "lte", "from", "to", "include_lower", "include_upper", "format", "boost", "time_zone", "relation"])
            var bounds = RangeBounds(gt: parameters["gt"], gte: parameters["gte"], lt: parameters["lt"], lte: parameters["lte"])
            if let from = parameters["from"], !from.isNull {
                if parameters["include_lower"]?.boolValue == false { bounds.gt = from } else { bounds.gte = from }
            }
            if let to = parameters["to"], !to.isNull {
                if parameters["include_upper"]?.boolValue == false { bounds.lt = to } else { bounds.lte = to }
            }
            return .range(field: field, bounds: bounds, boost: try reader.boost(parameters))
        case "exists":
            let parameters = try reader.parameters(body, allowed: ["field", "boost"])
            return .exists(field: try reader.text(parameters["field"], "field"))
        case "prefix":
            let (field, parameters) = try reader.field(body, shorthand: "value", allowed: ["value", "boost", "rewrite", "case_insensitive"])
            return .prefix(field: field, value: try reader.text(parameters["value"], "value"), boost: try reader.boost(parameters))
        case "wildcard":
            let (field, parameters) = try reader.field(body, shorthand: "value", allowed: ["value", "wildcard", "boost", "rewrite", "case_insensitive"])
            return .wildcard(field: field, pattern: try reader.text(parameters["value"] ?? parameters["wildcard"], "value"), boost: try reader.boost(parameters))
        case "ids":
            let parameters = try reader.parameters(body, allowed: ["values", "type", "boost"])
            let values = (parameters["values"]?.arrayValue ?? []).compactMap { $0.stringValue ?? $0.intValue.map { String($0) } }
            return .ids(values)
        case "bool":
            return .bool(try parseBool(body, depth: depth, reader: &reader))
        case "constant_score":
            let parameters = try reader.parameters(body, allowed: ["filter", "boost"])
            guard let filter = parameters["filter"] else { throw .parsing("[constant_score] requires a 'filter' element") }
            return .constantScore(filter: try parse(filter, depth: depth + 1), boost: try reader.boost(parameters))
        case "query_string", "simple_query_string":
            let simple = name == "simple_query_string"
            let parameters = try reader.parameters(body, allowed: ["query", "default_field", "fields", "default_operator", "boost", "lenient", "analyze_wildcard", "flags"])
            var fields = (parameters["fields"]?.arrayValue ?? []).compactMap(\.stringValue)
            if let field = parameters["default_field"]?.stringValue { fields = [field] }
            let text = try reader.text(parameters["query"], "query")
            var parser = QueryStringParser(text: text, defaultFields: fields.isEmpty ? ["*"] : fields,
                                           defaultOperator: try reader.op(parameters["default_operator"]), simple: simple)
            return try parser.parse()
        default:
            throw .unknownQuery(name)
        }
    }

    private static func parseBool(_ body: JSON, depth: Int, reader: inout ClauseReader) throws(ElasticsearchError) -> BoolQuery {
        let parameters = try reader.parameters(body, allowed: ["must", "should", "filter", "must_not", "minimum_should_match", "boost", "adjust_pure_negative"])
        var result = BoolQuery()
        func clauses(_ key: String) throws(ElasticsearchError) -> [Query] {
            guard let value = parameters[key] else { return [] }
            let items = value.arrayValue ?? [value]
            var queries: [Query] = []
            for item in items { queries.append(try parse(item, depth: depth + 1)) }
            return queries
        }
        result.must = try clauses("must")
        result.should = try clauses("should")
        result.filter = try clauses("filter")
        result.mustNot = try clauses("must_not")
        result.minimumShouldMatch = parameters["minimum_should_match"].map { $0.stringValue ?? $0.serialized() }
        result.boost = try reader.boost(parameters)
        return result
    }
}

/// Reads the parameters of one clause with ES's error texts (`[match] query does not support [x]`).
struct ClauseReader {
    let name: String

    func parameters(_ body: JSON, allowed: Set<String>) throws(ElasticsearchError) -> JSONObject {
        guard let object = body.objectValue else { throw .parsing("[\(name)] query malformed, no start_object after query name") }
        for key in object.keys where !allowed.contains(key) {
            throw .parsing("[\(name)] query does not support [\(key)]")
        }
        return object
    }

    /// `{"field": value}` or `{"field": {"query"/"value": ..., options}}`.
    func field(_ body: JSON, shorthand: String?, allowed: Set<String>) throws(ElasticsearchError) -> (String, JSONObject) {
        guard let object = body.objectValue else { throw .parsing("[\(name)] query malformed, no start_object after query name") }
        var field: String?
        var parameters = JSONObject()
        for (key, value) in object {
            if key == "boost" || key == "_name" { continue }
            if let existing = field {
                throw .parsing("[\(name)] query doesn't support multiple fields, found [\(existing)] and [\(key)]")
            }
            field = key
            if let options = value.objectValue {
                parameters = try self.parameters(value, allowed: allowed)
                _ = options
            } else if let shorthand {
                parameters[shorthand] = value
            } else {
                throw .parsing("[\(name)] query malformed, expected an object for field [\(key)]")
            }
        }
        guard let field else { throw .parsing("No text specified for \(name) query") }
        return (field, parameters)
    }

    func text(_ value: JSON?, _ key: String) throws(ElasticsearchError) -> String {
        guard let value else { throw .parsing("[\(name)] requires '\(key)' field") }
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return JSON.javaDoubleText(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: throw .parsing("[\(name)] unknown token [\(value.tokenName)] after [\(key)]")
        }
    }

    func op(_ value: JSON?) throws(ElasticsearchError) -> Query.Operator {
        guard let value else { return .or }
        guard let text = value.stringValue, let parsed = Query.Operator(rawValue: text.lowercased()) else {
            throw .parsing("[\(name)] unknown operator [\(value.stringValue ?? value.serialized())]")
        }
        return parsed
    }

    func boost(_ parameters: JSONObject) throws(ElasticsearchError) -> Double {
        guard let value = parameters["boost"] else { return 1 }
        guard let number = value.doubleValue else { throw .parsing("[\(name)] boost must be a number") }
        return number
    }
}
