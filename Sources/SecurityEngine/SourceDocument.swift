import JSONValue
import Yams

/// A configuration document as parsed text: the JSON tree plus the line of every key, so that
/// validation errors can name file, line and key (issue 4 "Bad input").
///
/// YAML files and the JSON documents of the REST API / security index (reference §3.6) both end
/// up here; JSON documents simply have no line table.
public struct SourceDocument: Sendable {
    public var file: String
    public var root: JSON
    /// JSON-pointer-like path (`/admin/hash`) → 1-based line of the key (or value) in the file.
    var lines: [String: Int]

    public init(file: String, root: JSON) {
        self.file = file
        self.root = root
        self.lines = [:]
    }

    /// Parses YAML. Duplicate keys are rejected like the plugin's strict Jackson parser does
    /// (reference §2.1).
    public init(yaml text: String, file: String) throws(ConfigError) {
        self.file = file
        self.lines = [:]
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            // Jackson's strict duplicate detection rejects these too (reference §2.1).
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            throw ConfigError(file: file, line: context.mark.line, key: "", message: "duplicate key \(names)")
        } catch let error as YamlError {
            throw ConfigError(file: file, line: SourceDocument.line(of: error), key: "", message: "invalid YAML: \(SourceDocument.summary(of: error))")
        } catch {
            throw ConfigError(file: file, line: nil, key: "", message: "invalid YAML: \(error)")
        }
        guard let node else {
            throw ConfigError(file: file, line: 1, key: "", message: "the file is empty")
        }
        var lines: [String: Int] = [:]
        root = try SourceDocument.convert(node, path: "", file: file, lines: &lines)
        self.lines = lines
    }

    /// Parses JSON (REST bodies, security-index documents).
    public init(json text: String, file: String) throws(ConfigError) {
        self.file = file
        self.lines = [:]
        do {
            root = try JSON(parsing: text)
        } catch {
            throw ConfigError(file: file, line: error.line, key: "", message: "invalid JSON: \(error.message)")
        }
    }

    /// The error for `path`, located at the nearest known line.
    func error(_ path: String, _ message: String) -> ConfigError {
        var probe = path
        var line = lines[probe]
        while line == nil, let slash = probe.lastIndex(of: "/") {
            probe = String(probe[..<slash])
            line = lines[probe]
        }
        return ConfigError(file: file, line: line, key: path, message: message)
    }

    private static func convert(_ node: Node, path: String, file: String, lines: inout [String: Int]) throws(ConfigError) -> JSON {
        if lines[path] == nil, let mark = node.mark { lines[path] = mark.line }
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .alias:
            throw ConfigError(file: file, line: node.mark?.line, key: path, message: "YAML aliases are not supported")
        case .sequence(let sequence):
            var items: [JSON] = []
            for (index, item) in sequence.enumerated() {
                items.append(try convert(item, path: "\(path)/\(index)", file: file, lines: &lines))
            }
            return .array(items)
        case .mapping(let mapping):
            var object = JSONObject()
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw ConfigError(file: file, line: keyNode.mark?.line, key: path, message: "mapping keys must be plain strings")
                }
                let key = keyScalar.string
                let childPath = "\(path)/\(key)"
                if object[key] != nil {
                    throw ConfigError(file: file, line: keyNode.mark?.line, key: childPath, message: "duplicate key")
                }
                if let mark = keyNode.mark { lines[childPath] = mark.line }
                object[key] = try convert(valueNode, path: childPath, file: file, lines: &lines)
            }
            return .object(object)
        }
    }

    /// YAML 1.1 core resolution as Jackson's YAML parser does it; quoted scalars are always strings.
    private static func scalarValue(_ scalar: Node.Scalar) -> JSON {
        if scalar.style == .singleQuoted || scalar.style == .doubleQuoted || scalar.style == .literal || scalar.style == .folded {
            return .string(scalar.string)
        }
        let node = Node.scalar(scalar)
        switch node.tag.rawValue {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: return node.bool.map(JSON.bool) ?? .string(scalar.string)
        case Tag.Name.int.rawValue: return node.int.map { .int(Int64($0)) } ?? .string(scalar.string)
        case Tag.Name.float.rawValue: return node.float.map(JSON.double) ?? .string(scalar.string)
        default: return .string(scalar.string)
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }
}
