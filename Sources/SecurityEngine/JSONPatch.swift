import JSONValue

/// RFC 6902 JSON Patch with RFC 6901 pointers, as the security REST API's PATCH uses it
/// (reference §6.3b): `add`, `remove`, `replace`, `move`, `copy`, `test`; `-` appends.
public enum JSONPatch {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Applies `patch` (a JSON array of operations) to `document`.
    public static func apply(_ patch: JSON, to document: JSON) throws(Failure) -> JSON {
        guard case .array(let operations) = patch else { throw Failure(message: "patch must be a JSON array of operations") }
        var result = document
        for (index, operation) in operations.enumerated() {
            guard case .object(let fields) = operation else { throw Failure(message: "operation \(index) is not an object") }
            guard let op = fields["op"]?.stringValue else { throw Failure(message: "operation \(index) has no 'op'") }
            guard let path = fields["path"]?.stringValue else { throw Failure(message: "operation \(index) has no 'path'") }
            let tokens = try pointer(path)
            switch op {
            case "add": result = try add(result, tokens, try value(fields, index))
            case "remove": result = try remove(result, tokens, path: path)
            case "replace":
                _ = try get(result, tokens, path: path)
                result = try set(result, tokens, try value(fields, index), replace: true, path: path)
            case "move", "copy":
                guard let from = fields["from"]?.stringValue else { throw Failure(message: "operation \(index) has no 'from'") }
                let fromTokens = try pointer(from)
                let moved = try get(result, fromTokens, path: from)
                if op == "move" { result = try remove(result, fromTokens, path: from) }
                result = try add(result, tokens, moved)
            case "test":
                guard try get(result, tokens, path: path) == (try value(fields, index)) else {
                    throw Failure(message: "value differs from expectations at \(path)")
                }
            default:
                throw Failure(message: "unknown operation '\(op)'")
            }
        }
        return result
    }

    private static func value(_ fields: JSONObject, _ index: Int) throws(Failure) -> JSON {
        guard let value = fields["value"] else { throw Failure(message: "operation \(index) has no 'value'") }
        return value
    }

    static func pointer(_ text: String) throws(Failure) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw Failure(message: "invalid JSON pointer '\(text)'") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ document: JSON, _ tokens: [String], path: String) throws(Failure) -> JSON {
        var current = document
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { throw Failure(message: "no such path: \(path)") }
                current = next
            case .array(let items):
                guard let position = Int(token), items.indices.contains(position) else { throw Failure(message: "no such path: \(path)") }
                current = items[position]
            default:
                throw Failure(message: "no such path: \(path)")
            }
        }
        return current
    }

    private static func add(_ document: JSON, _ tokens: [String], _ value: JSON) throws(Failure) -> JSON {
        try set(document, tokens, value, replace: false, path: "/" + tokens.joined(separator: "/"))
    }

    /// Sets the value at `tokens`; arrays insert (`add`) or overwrite (`replace`).
    private static func set(_ document: JSON, _ tokens: [String], _ value: JSON, replace: Bool, path: String) throws(Failure) -> JSON {
        guard let token = tokens.first else { return value }
        let rest = Array(tokens.dropFirst())
        switch document {
        case .object(var object):
            if rest.isEmpty {
                object[token] = value
            } else {
                guard let child = object[token] else { throw Failure(message: "no such path: \(path)") }
                object[token] = try set(child, rest, value, replace: replace, path: path)
            }
            return .object(object)
        case .array(var items):
            if rest.isEmpty {
                if token == "-", !replace { items.append(value); return .array(items) }
                guard let position = Int(token), position >= 0, position <= items.count, !(replace && position == items.count) else {
                    throw Failure(message: "no such path: \(path)")
                }
                if replace { items[position] = value } else { items.insert(value, at: position) }
                return .array(items)
            }
            guard let position = Int(token), items.indices.contains(position) else { throw Failure(message: "no such path: \(path)") }
            items[position] = try set(items[position], rest, value, replace: replace, path: path)
            return .array(items)
        default:
            throw Failure(message: "no such path: \(path)")
        }
    }

    private static func remove(_ document: JSON, _ tokens: [String], path: String) throws(Failure) -> JSON {
        guard let token = tokens.first else { throw Failure(message: "cannot remove the whole document") }
        let rest = Array(tokens.dropFirst())
        switch document {
        case .object(var object):
            guard let child = object[token] else { throw Failure(message: "no such path: \(path)") }
            if rest.isEmpty { object.removeValue(forKey: token) } else { object[token] = try remove(child, rest, path: path) }
            return .object(object)
        case .array(var items):
            guard let position = Int(token), items.indices.contains(position) else { throw Failure(message: "no such path: \(path)") }
            if rest.isEmpty { items.remove(at: position) } else { items[position] = try remove(items[position], rest, path: path) }
            return .array(items)
        default:
            throw Failure(message: "no such path: \(path)")
        }
    }
}
