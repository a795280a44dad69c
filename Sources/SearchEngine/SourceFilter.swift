import JSONValue

/// `_source` filtering of get and search responses: `false`, a pattern or list of patterns, or
/// `{"includes":[...],"excludes":[...]}`, plus the `_source_includes`/`_source_excludes`
/// parameters. Patterns are dotted paths with `*` wildcards; including an object includes it all.
public struct SourceFilter: Sendable, Equatable {
    public var fetch = true
    public var includes: [String] = []
    public var excludes: [String] = []

    public init(fetch: Bool = true, includes: [String] = [], excludes: [String] = []) {
        self.fetch = fetch
        self.includes = includes
        self.excludes = excludes
    }

    /// From URL parameters (`_source=false`, `_source=a,b`, `_source_includes`, `_source_excludes`).
    public init(source: String?, includes: String?, excludes: String?) {
        func list(_ text: String?) -> [String] { text.map { $0.split(separator: ",").map(String.init) } ?? [] }
        if source == "false" { fetch = false } else if let source, source != "true" { self.includes = list(source) }
        self.includes += list(includes)
        self.excludes = list(excludes)
    }

    /// From a body's `_source` value.
    init(parsing json: JSON) throws(ElasticsearchError) {
        switch json {
        case .bool(let flag): fetch = flag
        case .string(let pattern): includes = [pattern]
        case .array(let items): includes = try Self.strings(items, "_source")
        case .object(let object):
            for (key, value) in object {
                let items = value.arrayValue ?? [value]
                switch key {
                case "includes", "include": includes = try Self.strings(items, key)
                case "excludes", "exclude": excludes = try Self.strings(items, key)
                default: throw .parsing("Unknown key for a START_ARRAY in [\(key)].")
                }
            }
        default:
            throw .parsing("Expected one of [VALUE_BOOLEAN, VALUE_STRING, START_ARRAY, START_OBJECT] but found [\(json.tokenName)]")
        }
    }

    private static func strings(_ items: [JSON], _ key: String) throws(ElasticsearchError) -> [String] {
        var result: [String] = []
        for item in items {
            guard let text = item.stringValue else { throw .parsing("Unknown key for a \(item.tokenName) in [\(key)].") }
            result.append(text)
        }
        return result
    }

    var isIdentity: Bool { fetch && includes.isEmpty && excludes.isEmpty }

    /// The filtered source (the caller omits `_source` entirely when `fetch` is false).
    public func apply(_ source: JSON) -> JSON {
        guard !isIdentity, case .object(let object) = source else { return source }
        return .object(filter(object, prefix: "", included: includes.isEmpty))
    }

    private func filter(_ object: JSONObject, prefix: String, included: Bool) -> JSONObject {
        var result = JSONObject()
        for (key, value) in object {
            let path = prefix + key
            if excludes.contains(where: { IndexName.matches(path, pattern: $0) }) { continue }
            let matched = included || includes.contains { IndexName.matches(path, pattern: $0) }
            if case .object(let child) = value {
                let descend = matched || includes.contains { $0.hasPrefix(path + ".") || $0.contains("*") }
                guard descend else { continue }
                let filtered = filter(child, prefix: path + ".", included: matched)
                if matched || !filtered.isEmpty { result[key] = .object(filtered) }
            } else if matched {
                result[key] = value
            }
        }
        return result
    }
}
