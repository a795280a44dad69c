import Yams

/// Where a value sits in the configuration file (1-based line and column).
struct ConfigLocation: Sendable, Equatable {
    var line: Int
    var column: Int
}

/// A configuration value after YAML parsing, dotted-key expansion and `${VAR}` expansion,
/// each value remembering its position so that type errors can name the line.
///
/// Why our own tree rather than decoding straight from Yams: Filebeat's config library treats
/// `output.elasticsearch.hosts: [...]` and the nested spelling as the same setting, and mixes of
/// both (`output.elasticsearch: {ssl.certificate: ...}`) are common in real files (reference §3.1).
indirect enum ConfigValue: Sendable {
    case null(ConfigLocation?)
    case scalar(String, ConfigLocation?)
    case list([ConfigValue], ConfigLocation?)
    case map([(key: String, value: ConfigValue)], ConfigLocation?)

    var location: ConfigLocation? {
        switch self {
        case .null(let location), .scalar(_, let location), .list(_, let location), .map(_, let location): return location
        }
    }

    /// The kind of value for "expected X, found Y" messages.
    var kindName: String {
        switch self {
        case .null: return "nothing"
        case .scalar(let text, _): return "\"\(text)\""
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }

    /// Converts a composed YAML node, expanding environment variables in scalars and splitting
    /// dotted keys into nested mappings.
    static func from(_ node: Node, environment: EnvironmentExpander, file: String) throws(ConfigError) -> ConfigValue {
        let location = node.mark.map { ConfigLocation(line: $0.line, column: $0.column) }
        switch node {
        case .scalar(let scalar):
            if node.null != nil && scalar.style == .plain { return .null(location) }
            do {
                return .scalar(try environment.expand(scalar.string), location)
            } catch {
                throw ConfigError(file: file, line: location?.line, column: location?.column, message: error.message)
            }
        case .sequence(let sequence):
            var items: [ConfigValue] = []
            for item in sequence { items.append(try from(item, environment: environment, file: file)) }
            return .list(items, location)
        case .mapping(let mapping):
            var result: [(key: String, value: ConfigValue)] = []
            for (keyNode, valueNode) in mapping {
                guard let key = keyNode.string else {
                    throw ConfigError(file: file, line: location?.line, column: location?.column, message: "mapping keys must be strings")
                }
                let value = try from(valueNode, environment: environment, file: file)
                insert(value, at: key.split(separator: ".").map(String.init), into: &result, location: location)
            }
            return .map(result, location)
        case .alias:
            throw ConfigError(file: file, line: location?.line, column: location?.column, message: "YAML aliases are not supported")
        }
    }

    /// Puts `value` under the dotted `path`, merging with mappings already there.
    private static func insert(_ value: ConfigValue, at path: [String], into entries: inout [(key: String, value: ConfigValue)],
                               location: ConfigLocation?) {
        guard let first = path.first else { return }
        let index = entries.firstIndex { $0.key == first }
        if path.count == 1 {
            if let index, case .map(var existing, let existingLocation) = entries[index].value, case .map(let added, _) = value {
                for entry in added { insert(entry.value, at: [entry.key], into: &existing, location: location) }
                entries[index].value = .map(existing, existingLocation)
            } else if let index {
                entries[index].value = value
            } else {
                entries.append((first, value))
            }
            return
        }
        var nested: [(key: String, value: ConfigValue)] = []
        var nestedLocation = value.location
        if let index, case .map(let existing, let existingLocation) = entries[index].value {
            nested = existing
            nestedLocation = existingLocation
        }
        insert(value, at: Array(path.dropFirst()), into: &nested, location: location)
        if let index {
            entries[index].value = .map(nested, nestedLocation)
        } else {
            entries.append((first, .map(nested, nestedLocation)))
        }
    }
}
