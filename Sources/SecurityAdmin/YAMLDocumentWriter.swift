import JSONValue
import Yams

/// Renders a stored configuration document (JSON with `_meta`) as a YAML file that the node
/// and securityadmin read back to the same values (issue 6 `retrieve`, reference §3.6: the index
/// keeps the JSON rendering of each YAML file).
///
/// Key order is kept (`_meta` first, as the store returns it). Every string is double-quoted,
/// as in the shipped files, so that values like `"true"`, `"1"` or `""` stay strings.
public enum YAMLDocumentWriter {
    public static func render(_ document: JSON) throws -> String {
        try Yams.serialize(node: node(document), indent: 2, width: -1, allowUnicode: true)
    }

    static func node(_ value: JSON) -> Node {
        switch value {
        case .null:
            return Node("null", Tag(.null))
        case .bool(let flag):
            return Node(flag ? "true" : "false", Tag(.bool))
        case .int(let number):
            return Node(String(number), Tag(.int))
        case .double(let number):
            return Node(JSON.javaDoubleText(number), Tag(.float))
        case .string(let text):
            return Node(text, Tag(.str), .doubleQuoted)
        case .array(let items):
            return Node(items.map(node))
        case .object(let object):
            return .mapping(Node.Mapping(object.map { (Node($0.key), node($0.value)) }))
        }
    }
}
