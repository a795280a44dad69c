import Foundation
import JSONValue

/// Typed, located access to one mapping of the configuration, remembering which keys were
/// read so that the rest can be reported as unknown (a warning, not an error: Filebeat has
/// many keys and refusing a real config would be worse — issue 7).
final class ConfigSection {
    let path: String
    let file: String
    private let entries: [(key: String, value: ConfigValue)]
    private let location: ConfigLocation?
    private var used: Set<String> = []
    private var children: [ConfigSection] = []

    init(path: String, file: String, value: ConfigValue) throws(ConfigError) {
        self.path = path
        self.file = file
        switch value {
        case .map(let entries, let location):
            self.entries = entries
            self.location = location
        case .null(let location):
            self.entries = []
            self.location = location
        default:
            throw ConfigError(file: file, line: value.location?.line, column: value.location?.column,
                              setting: path.isEmpty ? nil : path, message: "expected a mapping, found \(value.kindName)")
        }
    }

    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    private func value(_ key: String) -> ConfigValue? {
        used.insert(key)
        guard let value = entries.first(where: { $0.key == key })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    func fullName(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func error(_ key: String, _ value: ConfigValue?, _ message: String) -> ConfigError {
        let location = value?.location ?? entries.first(where: { $0.key == key })?.value.location ?? self.location
        return ConfigError(file: file, line: location?.line, column: location?.column, setting: fullName(key), message: message)
    }

    func section(_ key: String) throws(ConfigError) -> ConfigSection? {
        guard let value = value(key) else { return nil }
        let child = try ConfigSection(path: fullName(key), file: file, value: value)
        children.append(child)
        return child
    }

    func sections(_ key: String) throws(ConfigError) -> [ConfigSection] {
        guard let value = value(key) else { return [] }
        guard case .list(let items, _) = value else { throw error(key, value, "expected a list of mappings, found \(value.kindName)") }
        var result: [ConfigSection] = []
        for (index, item) in items.enumerated() {
            let child = try ConfigSection(path: fullName(key) + "[\(index)]", file: file, value: item)
            children.append(child)
            result.append(child)
        }
        return result
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .scalar(let text, _) = value else { throw error(key, value, "expected a string, found \(value.kindName)") }
        return text
    }

    /// A list of strings; a single string is accepted as a one-element list, as Filebeat does.
    func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = value(key) else { return nil }
        switch value {
        case .scalar(let text, _): return [text]
        case .list(let items, _):
            var result: [String] = []
            for item in items {
                guard case .scalar(let text, _) = item else { throw error(key, item, "expected a list of strings, found \(item.kindName) in the list") }
                result.append(text)
            }
            return result
        default: throw error(key, value, "expected a list of strings, found \(value.kindName)")
        }
    }

    func int(_ key: String) throws(ConfigError) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .scalar(let text, _) = value, let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw error(key, value, "expected an integer, found \(value.kindName)")
        }
        return number
    }

    /// YAML 1.1 booleans, which is what Filebeat's parser accepts (`true`, `yes`, `on`, ...).
    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = value(key) else { return nil }
        if case .scalar(let text, _) = value {
            switch text.lowercased() {
            case "true", "yes", "on", "y": return true
            case "false", "no", "off", "n": return false
            default: break
            }
        }
        throw error(key, value, "expected true or false, found \(value.kindName)")
    }

    /// Go duration syntax (`90s`, `5m`, `1m30s`, `500ms`); a bare number means seconds.
    func duration(_ key: String) throws(ConfigError) -> Duration? {
        guard let value = value(key) else { return nil }
        guard case .scalar(let text, _) = value, let duration = GoDuration.parse(text) else {
            throw error(key, value, "expected a duration such as 10s, 5m or 1h30m, found \(value.kindName)")
        }
        return duration
    }

    /// An arbitrary mapping as JSON (for `fields`): scalars become numbers, booleans or strings
    /// the way YAML would type them.
    func object(_ key: String) throws(ConfigError) -> JSONObject? {
        guard let value = value(key) else { return nil }
        guard case .object(let object) = Self.json(value) else { throw error(key, value, "expected a mapping, found \(value.kindName)") }
        return object
    }

    private static func json(_ value: ConfigValue) -> JSON {
        switch value {
        case .null: return .null
        case .scalar(let text, _):
            if let number = Int64(text) { return .int(number) }
            if let number = Double(text), text.contains(".") { return .double(number) }
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            return .string(text)
        case .list(let items, _): return .array(items.map(json))
        case .map(let entries, _): return .object(JSONObject(entries.map { ($0.key, json($0.value)) }))
        }
    }

    /// Dotted names of every setting present but never read, here and in the sections below.
    func unknownKeys() -> [String] {
        var result: [String] = []
        for entry in entries where !used.contains(entry.key) {
            result += Self.leaves(fullName(entry.key), entry.value)
        }
        for child in children { result += child.unknownKeys() }
        return result
    }

    private static func leaves(_ name: String, _ value: ConfigValue) -> [String] {
        guard case .map(let entries, _) = value, !entries.isEmpty else { return [name] }
        return entries.flatMap { leaves(name + "." + $0.key, $0.value) }
    }
}
