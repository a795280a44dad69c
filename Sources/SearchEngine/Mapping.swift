import JSONValue

/// The field types this engine maps (issue 3: text, keyword, long, integer, float, double,
/// boolean, date, object; short/byte/half_float/scaled_float-free subsets are not offered).
public enum FieldType: String, Sendable, CaseIterable {
    case text, keyword, long, integer, short, byte, float, double, boolean, date, object

    var isNumeric: Bool { [.long, .integer, .short, .byte, .float, .double].contains(self) }
    var isInteger: Bool { [.long, .integer, .short, .byte].contains(self) }
}

/// One field of a mapping: its type, multi-fields (`fields`) and, for objects, `properties`.
public struct FieldMapping: Sendable, Equatable {
    public var type: FieldType
    public var ignoreAbove: Int?
    public var format: String?
    public var fields: [String: FieldMapping] = [:]
    public var properties: [String: FieldMapping] = [:]

    /// What dynamic mapping creates for a string: `text` plus a `keyword` sub-field limited to
    /// 256 characters, exactly as ES 7.10 does.
    static let dynamicString = FieldMapping(type: .text, fields: ["keyword": FieldMapping(type: .keyword, ignoreAbove: 256)])

    var json: JSON {
        var object: JSONObject = [:]
        if type != .object { object["type"] = .string(type.rawValue) }
        if let ignoreAbove { object["ignore_above"] = .int(Int64(ignoreAbove)) }
        if let format { object["format"] = .string(format) }
        if !fields.isEmpty { object["fields"] = Mapping.render(fields) }
        if type == .object { object["properties"] = Mapping.render(properties) }
        return .object(object)
    }
}

/// The mapping of one index (`{"dynamic":...,"properties":{...}}`), parsed from create-index and
/// put-mapping bodies and grown by dynamic mapping while indexing.
public struct Mapping: Sendable, Equatable {
    public enum Dynamic: String, Sendable { case `true`, `false`, strict }
    public var dynamic: Dynamic = .true
    public var properties: [String: FieldMapping] = [:]

    /// Parameters accepted and ignored because they do not change what this engine stores.
    static let ignoredParameters: Set<String> = ["index", "doc_values", "store", "norms", "analyzer",
                                                 "search_analyzer", "similarity", "coerce", "boost"]

    public init() {}

    /// Parses `{"properties":{...}}` (the `mappings` of a create-index body or a put-mapping body).
    public init(parsing json: JSON) throws(ElasticsearchError) {
        guard let root = json.objectValue else { throw .mapperParsing("Expected map for property [mappings] but got [\(json.tokenName)]") }
        var unsupported: [String] = []
        for (key, value) in root {
            switch key {
            case "properties":
                properties = try Mapping.parseProperties(value)
            case "dynamic":
                let text = value.boolValue.map { $0 ? "true" : "false" } ?? value.stringValue ?? ""
                guard let parsed = Dynamic(rawValue: text) else {
                    throw .mapperParsing("Could not convert [dynamic] to boolean or \"strict\": [\(value)]")
                }
                dynamic = parsed
            case "_source", "_meta", "date_detection", "dynamic_templates":
                continue
            default:
                unsupported.append("\(key) : \(Mapping.describe(value))")
            }
        }
        if !unsupported.isEmpty {
            throw .mapperParsing("Root mapping definition has unsupported parameters:  [\(unsupported.joined(separator: "] ["))]")
        }
    }

    static func describe(_ value: JSON) -> String {
        if let text = value.stringValue { return text }
        return value.serialized()
    }

    static func parseProperties(_ json: JSON) throws(ElasticsearchError) -> [String: FieldMapping] {
        guard let object = json.objectValue else { throw .mapperParsing("Expected map for property [properties] but got [\(json.tokenName)]") }
        var result: [String: FieldMapping] = [:]
        for (name, definition) in object { result[name] = try parseField(name, definition) }
        return result
    }

    static func parseField(_ name: String, _ json: JSON) throws(ElasticsearchError) -> FieldMapping {
        guard let object = json.objectValue else {
            throw .mapperParsing("Expected map for property [fields] on field [\(name)] but got a class java.lang.String")
        }
        let typeName = object["type"]?.stringValue ?? (object["properties"] != nil ? "object" : "object")
        guard let type = FieldType(rawValue: typeName) else {
            throw .mapperParsing("No handler for type [\(typeName)] declared on field [\(name)]")
        }
        var field = FieldMapping(type: type)
        var unsupported: [String] = []
        for (key, value) in object {
            switch key {
            case "type": continue
            case "properties" where type == .object: field.properties = try parseProperties(value)
            case "fields" where type != .object:
                guard let subfields = value.objectValue else { throw .mapperParsing("Expected map for property [fields] on field [\(name)]") }
                for (subname, definition) in subfields { field.fields[subname] = try parseField(subname, definition) }
            case "ignore_above" where type == .keyword:
                guard let limit = value.intValue else { throw .mapperParsing("Failed to parse [ignore_above] on field [\(name)]: \(value)") }
                field.ignoreAbove = Int(limit)
            case "format" where type == .date:
                field.format = value.stringValue
            case "dynamic" where type == .object, "enabled" where type == .object: continue
            default:
                if ignoredParameters.contains(key) { continue }
                unsupported.append("\(key) : \(describe(value))")
            }
        }
        if !unsupported.isEmpty {
            throw .mapperParsing("Mapping definition for [\(name)] has unsupported parameters:  [\(unsupported.joined(separator: "] ["))]")
        }
        return field
    }

    /// `{"properties":{...}}` with names sorted, the order ES prints mappings in.
    public var json: JSON {
        var object: JSONObject = [:]
        if dynamic != .true { object["dynamic"] = .string(dynamic.rawValue) }
        if !properties.isEmpty { object["properties"] = Mapping.render(properties) }
        return .object(object)
    }

    static func render(_ fields: [String: FieldMapping]) -> JSON {
        .object(JSONObject(fields.keys.sorted().map { ($0, fields[$0]!.json) }))
    }

    /// Merges `other` into this mapping (put mapping); a changed type is refused with ES's message.
    public mutating func merge(_ other: Mapping) throws(ElasticsearchError) {
        properties = try Mapping.merge(properties, other.properties, prefix: "")
        dynamic = other.dynamic == .true ? dynamic : other.dynamic
    }

    static func merge(_ current: [String: FieldMapping], _ incoming: [String: FieldMapping], prefix: String) throws(ElasticsearchError) -> [String: FieldMapping] {
        var result = current
        for (name, field) in incoming {
            guard var existing = current[name] else { result[name] = field; continue }
            if existing.type != field.type {
                throw .illegalArgument("mapper [\(prefix)\(name)] cannot be changed from type [\(existing.type.rawValue)] to [\(field.type.rawValue)]")
            }
            existing.properties = try merge(existing.properties, field.properties, prefix: prefix + name + ".")
            existing.fields = try merge(existing.fields, field.fields, prefix: prefix + name + ".")
            result[name] = existing
        }
        return result
    }

    /// Every leaf path (`host.name`, `message.keyword`) with its field, parents before children.
    public var leafFields: [(path: String, field: FieldMapping)] {
        var result: [(String, FieldMapping)] = []
        func walk(_ fields: [String: FieldMapping], prefix: String) {
            for name in fields.keys.sorted() {
                let field = fields[name]!
                let path = prefix + name
                if field.type == .object {
                    walk(field.properties, prefix: path + ".")
                } else {
                    result.append((path, field))
                    for sub in field.fields.keys.sorted() { result.append((path + "." + sub, field.fields[sub]!)) }
                }
            }
        }
        walk(properties, prefix: "")
        return result
    }

    /// Whether `path` names an object (for `exists` on `host`).
    func isObject(_ path: String) -> Bool {
        var fields = properties
        let parts = path.split(separator: ".").map(String.init)
        for (position, part) in parts.enumerated() {
            guard let field = fields[part], field.type == .object else { return false }
            if position == parts.count - 1 { return true }
            fields = field.properties
        }
        return false
    }

    /// Adds `field` at a dotted `path`, creating intermediate objects.
    /// Puts back fields that storage knows (`fields` rows) but this mapping lacks. Until the
    /// catalog stored the mapping of an index created inside a write (`SearchEngine.write`), an
    /// index created by the bulk that first wrote to it lost the fields that bulk mapped, so
    /// such a data path reopens with them missing. A stored field under a `text` or `keyword`
    /// field is its multi-field (`message.keyword`); any other dotted path runs through objects.
    /// Shorter paths go first, so parents exist before their children.
    mutating func restore(_ stored: some Collection<FieldInfo>) {
        let known = Set(leafFields.map(\.path))
        for info in stored.sorted(by: { ($0.path.count, $0.path) < ($1.path.count, $1.path) }) where !known.contains(info.path) {
            let parts = info.path.split(separator: ".").map(String.init)
            let field = FieldMapping(type: info.type, ignoreAbove: info.ignoreAbove)
            if parts.count > 1, addMultiField(parent: parts.dropLast(), name: parts.last!, field: field) { continue }
            add(path: parts, field: field)
        }
    }

    /// Adds `field` as multi-field `name` of the leaf at `parent`; false when no such leaf exists.
    private mutating func addMultiField(parent: ArraySlice<String>, name: String, field: FieldMapping) -> Bool {
        func insert(_ fields: inout [String: FieldMapping], _ rest: ArraySlice<String>) -> Bool {
            guard let first = rest.first, var node = fields[first] else { return false }
            let added: Bool
            if rest.count == 1 {
                guard node.type == .text || node.type == .keyword else { return false }
                node.fields[name] = field
                added = true
            } else {
                guard node.type == .object else { return false }
                added = insert(&node.properties, rest.dropFirst())
            }
            if added { fields[first] = node }
            return added
        }
        return insert(&properties, parent)
    }

    mutating func add(path: [String], field: FieldMapping) {
        func insert(_ fields: inout [String: FieldMapping], _ rest: ArraySlice<String>) {
            let name = rest.first!
            if rest.count == 1 { fields[name] = field; return }
            var parent = fields[name] ?? FieldMapping(type: .object)
            insert(&parent.properties, rest.dropFirst())
            fields[name] = parent
        }
        insert(&properties, path[...])
    }
}
