import JSONValue

/// A legacy index template (`PUT /_template/{name}`, ES 7.10's `IndexTemplateMetadata`): the
/// settings and mappings an index whose name matches one of `indexPatterns` starts with.
///
/// What Beats and Logstash install before they ship (`HEAD` then `PUT /_template/<name>`), and
/// what the plugin's `logstash` role and the lab's `logs_writer` grant
/// (`indices:admin/template/get|put`). Mappings are checked with the same parser as index
/// creation when the template is stored, so a template this node could not apply is refused
/// at `PUT` with the mapper's message, never at the first write into a matching index.
/// Templates with aliases are refused: this node has no aliases.
public struct IndexTemplate: Sendable, Equatable {
    public var name: String
    public var order: Int
    public var version: Int?
    public var indexPatterns: [String]
    /// Dotted `index.*` keys with string values, as ES keeps settings.
    public var settings: [(String, JSON)]
    /// The mappings object as sent (checked by `Mapping(parsing:)`), `{}` when there is none.
    public var mappings: JSON

    public static func == (lhs: IndexTemplate, rhs: IndexTemplate) -> Bool {
        lhs.name == rhs.name && lhs.order == rhs.order && lhs.version == rhs.version && lhs.indexPatterns == rhs.indexPatterns
            && lhs.settings.map(\.0) == rhs.settings.map(\.0) && lhs.settings.map(\.1) == rhs.settings.map(\.1) && lhs.mappings == rhs.mappings
    }

    /// Parses and checks a `PUT /_template/{name}` body; `order` is the URL's `?order=`.
    public init(name: String, body: JSON, order: Int = 0) throws(ElasticsearchError) {
        guard let object = body.objectValue else { throw .parsing("Failed to derive xcontent") }
        self.name = name
        self.order = order
        indexPatterns = []
        settings = []
        mappings = [:]
        for (key, value) in object {
            switch key {
            case "index_patterns", "template":
                guard let patterns = value.arrayValue.map({ $0.compactMap(\.stringValue) }) ?? value.stringValue.map({ [$0] }) else {
                    throw .illegalArgument("Malformed [index_patterns] value, should be a string or a list of strings")
                }
                indexPatterns = patterns
            case "order":
                guard let number = value.intValue ?? value.stringValue.flatMap({ Int64($0) }) else { throw .illegalArgument("Malformed [order] value [\(value.serialized())]") }
                self.order = Int(number)
            case "version":
                guard let number = value.intValue else { throw .illegalArgument("Malformed [version] value, should be an integer") }
                version = Int(number)
            case "settings":
                settings = try Self.flatSettings(value)
            case "mappings":
                _ = try Mapping(parsing: value)
                mappings = value
            case "aliases":
                guard value.objectValue?.isEmpty ?? false else { throw .illegalArgument("aliases in index templates are not supported by this node") }
            default:
                throw ElasticsearchError(status: 400, type: "parse_exception", reason: "unknown key [\(key)] in the template ")
            }
        }
        if indexPatterns.isEmpty {
            throw ElasticsearchError(status: 400, type: "action_request_validation_exception", reason: "Validation Failed: 1: index patterns are missing;")
        }
        try Self.validate(name: name, patterns: indexPatterns)
        _ = try SearchEngine.parseSettings(.object(JSONObject(settings)), shards: 1, replicas: 1)
    }

    /// `{"order":...,"version":...,"index_patterns":[...],"settings":{"index":{...}},"mappings":{...},"aliases":{}}`.
    public var json: JSON {
        var object: JSONObject = ["order": .int(Int64(order))]
        if let version { object["version"] = .int(Int64(version)) }
        object["index_patterns"] = .array(indexPatterns.map(JSON.string))
        object["settings"] = SearchEngine.nested(settings)
        object["mappings"] = mappings
        object["aliases"] = [:]
        return .object(object)
    }

    func matches(_ index: String) -> Bool {
        indexPatterns.contains { IndexName.matches(index, pattern: $0) }
    }

    /// `{"index":{"number_of_shards":1}}` or `{"index.number_of_shards":"1"}` → `[("index.number_of_shards", "1")]`:
    /// the settings flattened as `_settings` flattens them, under `index.`, values as strings.
    static func flatSettings(_ json: JSON) throws(ElasticsearchError) -> [(String, JSON)] {
        guard json.objectValue != nil else { throw .illegalArgument("settings must be an object") }
        var flat: [(String, JSON)] = []
        try SearchEngine.flatten(json, prefix: "", into: &flat)
        var result: [(String, JSON)] = []
        for (key, value) in flat {
            let name = key.hasPrefix("index.") ? key : "index." + key
            result.removeAll { $0.0 == name }
            result.append((name, value.stringValue.map(JSON.string) ?? (value.isNull ? .null : .string(value.serialized()))))
        }
        return result
    }

    /// ES's `MetadataIndexTemplateService.validate`: every broken rule of the name and the
    /// patterns, numbered in one `Validation Failed` cause.
    static func validate(name: String, patterns: [String]) throws(ElasticsearchError) {
        var errors: [String] = []
        if name.contains(" ") { errors.append("name must not contain a space") }
        if name.contains(",") { errors.append("name must not contain a ','") }
        if name.contains("#") { errors.append("name must not contain a '#'") }
        if name.contains("*") { errors.append("name must not contain a '*'") }
        if name.hasPrefix("_") { errors.append("name must not start with '_'") }
        if name.lowercased() != name { errors.append("name must be lower cased") }
        for pattern in patterns {
            if pattern.contains(" ") { errors.append("index_patterns [\(pattern)] must not contain a space") }
            if pattern.contains(",") { errors.append("index_pattern [\(pattern)] must not contain a ','") }
            if pattern.contains("#") { errors.append("index_pattern [\(pattern)] must not contain a '#'") }
            if pattern.contains(":") { errors.append("index_pattern [\(pattern)] must not contain a ':'") }
            if pattern.hasPrefix("_") { errors.append("index_pattern [\(pattern)] must not start with '_'") }
            // Strings.validFileNameExcludingAstrix, with the message that prints the whole set.
            if pattern.contains(where: { "\\/?\"<>| ,".contains($0) }) {
                errors.append("index_pattern [\(pattern)] must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?]")
            }
        }
        guard !errors.isEmpty else { return }
        let cause = "Validation Failed: " + errors.enumerated().map { "\($0.offset + 1): \($0.element);" }.joined()
        throw ElasticsearchError(status: 400, type: "invalid_index_template_exception", reason: "index_template [\(name)] invalid, cause [\(cause)]")
    }
}
