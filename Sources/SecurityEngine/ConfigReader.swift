import JSONValue

/// Typed, strict access to one JSON object of a configuration document.
///
/// The plugin reads its YAML with Jackson and `FAIL_ON_UNKNOWN_PROPERTIES` (reference §2.1), so
/// every key a model does not ask for is an error. Each accessor records the key it was asked
/// for; ``finish()`` then rejects the rest and lists what would have been accepted.
struct ConfigReader {
    let document: SourceDocument
    let path: String
    let object: JSONObject
    private var asked: [String] = []

    init(_ document: SourceDocument, path: String, value: JSON) throws(ConfigError) {
        guard case .object(let object) = value else {
            throw document.error(path, "expected an object, found \(ConfigReader.kind(value))")
        }
        self.document = document
        self.path = path
        self.object = object
    }

    /// The value of `key`, with JSON `null` treated as absent (Jackson leaves the default).
    mutating func raw(_ key: String) -> JSON? {
        asked.append(key)
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    mutating func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let value = raw(key) else { return fallback }
        if let flag = value.boolValue { return flag }
        if let text = value.stringValue, text == "true" || text == "false" { return text == "true" }
        throw mismatch(key, "a boolean", value)
    }

    mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = raw(key) else { return nil }
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return String(flag)
        default: throw mismatch(key, "a string", value)
        }
    }

    mutating func int(_ key: String, default fallback: Int) throws(ConfigError) -> Int {
        guard let value = raw(key) else { return fallback }
        if let number = value.intValue { return Int(number) }
        if let text = value.stringValue, let number = Int(text) { return number }
        throw mismatch(key, "an integer", value)
    }

    /// A list of strings; a single string is accepted as a one-element list, as Jackson does
    /// with `ACCEPT_SINGLE_VALUE_AS_ARRAY` for these models.
    mutating func strings(_ key: String) throws(ConfigError) -> [String] {
        guard let value = raw(key) else { return [] }
        if let text = value.stringValue { return [text] }
        guard case .array(let items) = value else { throw mismatch(key, "a list of strings", value) }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .string(let text): result.append(text)
            case .int(let number): result.append(String(number))
            default: throw document.error("\(path)/\(key)/\(index)", "expected a string, found \(ConfigReader.kind(item))")
            }
        }
        return result
    }

    /// A map of string to string (internal users' `attributes`).
    mutating func stringMap(_ key: String) throws(ConfigError) -> [(String, String)] {
        guard let value = raw(key) else { return [] }
        guard case .object(let map) = value else { throw mismatch(key, "an object", value) }
        var result: [(String, String)] = []
        for (name, item) in map {
            switch item {
            case .string(let text): result.append((name, text))
            case .int, .double, .bool: result.append((name, item.serialized()))
            default: throw document.error("\(path)/\(key)/\(name)", "expected a string, found \(ConfigReader.kind(item))")
            }
        }
        return result
    }

    /// A nested object, read strictly.
    mutating func object(_ key: String) throws(ConfigError) -> ConfigReader? {
        guard let value = raw(key) else { return nil }
        return try ConfigReader(document, path: "\(path)/\(key)", value: value)
    }

    /// A list of nested objects, each read strictly.
    mutating func objects(_ key: String) throws(ConfigError) -> [ConfigReader] {
        guard let value = raw(key) else { return [] }
        guard case .array(let items) = value else { throw mismatch(key, "a list of objects", value) }
        var result: [ConfigReader] = []
        for (index, item) in items.enumerated() {
            result.append(try ConfigReader(document, path: "\(path)/\(key)/\(index)", value: item))
        }
        return result
    }

    /// Rejects keys nobody asked for (reference §2.1: unknown keys are errors).
    func finish() throws(ConfigError) {
        for key in object.keys where !asked.contains(key) {
            throw document.error("\(path)/\(key)", "unknown key (expected one of: \(asked.joined(separator: ", ")))")
        }
    }

    func error(_ key: String, _ message: String) -> ConfigError {
        document.error(key.isEmpty ? path : "\(path)/\(key)", message)
    }

    private func mismatch(_ key: String, _ expected: String, _ found: JSON) -> ConfigError {
        document.error("\(path)/\(key)", "expected \(expected), found \(ConfigReader.kind(found))")
    }

    static func kind(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string(let text): return "the string '\(text)'"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

extension JSONObject {
    /// Adds `key: value` only when the value is present (Jackson `NON_NULL`, reference §6.3).
    mutating func setIfPresent(_ key: String, _ value: String?) {
        if let value { self[key] = .string(value) }
    }

    mutating func setStrings(_ key: String, _ values: [String]) {
        self[key] = .array(values.map(JSON.string))
    }
}
