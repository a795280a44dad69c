import JSONValue

/// The `highlight` section of a search body (ES 7.10's `HighlightBuilder`): which fields to
/// highlight and how, with per-field options over the top-level ones.
///
/// Every `type` is served by one highlighter that behaves like ES's default `unified` one
/// (`Highlighter`). Options that change nothing here (`type`, `boundary_scanner`,
/// `phrase_limit`, ...) are accepted; unknown ones are refused like ES refuses them.
public struct Highlight: Sendable, Equatable {
    public struct Options: Sendable, Equatable {
        var preTag: String?
        var postTag: String?
        var fragmentSize: Int?
        var numberOfFragments: Int?
        var requireFieldMatch: Bool?
        var orderByScore: Bool?
        var noMatchSize: Int?
    }

    public var fields: [(pattern: String, options: Options)] = []
    public var defaults = Options()
    public var htmlEncoder = false

    public static func == (lhs: Highlight, rhs: Highlight) -> Bool {
        lhs.fields.map(\.pattern) == rhs.fields.map(\.pattern) && lhs.fields.map(\.options) == rhs.fields.map(\.options)
            && lhs.defaults == rhs.defaults && lhs.htmlEncoder == rhs.htmlEncoder
    }

    static let ignoredOptions: Set<String> = ["type", "boundary_scanner", "boundary_scanner_locale", "boundary_chars", "boundary_max_scan",
                                              "fragmenter", "phrase_limit", "highlight_filter", "force_source", "matched_fields", "fragment_offset"]

    public init(parsing json: JSON) throws(ElasticsearchError) {
        guard let object = json.objectValue else { throw .parsing("[highlight] failed to parse object") }
        for (key, value) in object {
            switch key {
            case "fields":
                if let named = value.objectValue {
                    for (pattern, options) in named { fields.append((pattern, try Self.options(options))) }
                } else if let list = value.arrayValue {
                    for item in list {
                        guard let single = item.objectValue, single.count == 1, let (pattern, options) = single.first(where: { _ in true }) else {
                            throw .parsing("[highlight] fields in an array must each be an object with a single field")
                        }
                        fields.append((pattern, try Self.options(options)))
                    }
                } else {
                    throw .parsing("[highlight] [fields] must be an object or an array")
                }
            case "encoder":
                guard let text = value.stringValue, text == "default" || text == "html" else { throw .illegalArgument("Unknown encoder [\(value.serialized())]") }
                htmlEncoder = text == "html"
            case "tags_schema":
                guard value.stringValue == "styled" else { throw .illegalArgument("Unknown tag schema [\(value.serialized())]") }
                defaults.preTag = "<em class=\"hlt1\">"
                defaults.postTag = "</em>"
            default:
                try Self.read(key, value, into: &defaults)
            }
        }
    }

    private static func options(_ json: JSON) throws(ElasticsearchError) -> Options {
        guard let object = json.objectValue else { throw .parsing("[highlight] field options must be an object") }
        var options = Options()
        for (key, value) in object { try read(key, value, into: &options) }
        return options
    }

    private static func read(_ key: String, _ value: JSON, into options: inout Options) throws(ElasticsearchError) {
        func number() throws(ElasticsearchError) -> Int {
            guard let number = value.intValue ?? value.stringValue.flatMap({ Int64($0) }) else { throw .parsing("[highlight] failed to parse field [\(key)]") }
            guard (0...Int64(Int32.max)).contains(number) else { throw .illegalArgument("[highlight] [\(key)] must be between 0 and \(Int32.max), found [\(number)]") }
            return Int(number)
        }
        switch key {
        case "pre_tags": options.preTag = value.arrayValue?.first?.stringValue ?? value.stringValue
        case "post_tags": options.postTag = value.arrayValue?.first?.stringValue ?? value.stringValue
        case "fragment_size": options.fragmentSize = try number()
        case "number_of_fragments": options.numberOfFragments = try number()
        case "no_match_size": options.noMatchSize = try number()
        case "require_field_match": options.requireFieldMatch = value.boolValue
        case "order":
            guard let text = value.stringValue, text == "score" || text == "none" else { throw .illegalArgument("Unknown order [\(value.serialized())]") }
            options.orderByScore = text == "score"
        default:
            if ignoredOptions.contains(key) { return }
            throw .parsing("[highlight] unknown field [\(key)]")
        }
    }
}
