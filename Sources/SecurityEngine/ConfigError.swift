/// A configuration problem, located as precisely as the input allows.
///
/// The plugin rejects unknown keys, wrong types, a missing `_meta` and version-1 documents
/// (reference §2.1, §3); we add the file, line and key path so the user can fix the file
/// without guessing.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// File name (`roles.yml`) or, for documents that did not come from a file, the type name.
    public var file: String
    /// 1-based line, when the document came from YAML.
    public var line: Int?
    /// Key path inside the document, `/`-separated (`/my_role/cluster_permissions`); empty for
    /// document-level problems.
    public var key: String
    public var message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `roles.yml:12: key 'my_role.foo': unknown key (expected one of ...)`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if !key.isEmpty {
            let dotted = key.split(separator: "/").joined(separator: ".")
            text += "key '\(dotted)': "
        }
        return text + message
    }
}
