/// Index-name rules and index expressions (`logs-*,movies`, `_all`, `-old`).
///
/// Validation follows Elasticsearch 7.10's `MetadataCreateIndexService.validateIndexName`, in the
/// same order, with the same reason texts, so clients that match on them keep working.
public enum IndexName {
    /// The characters ES forbids in file names, printed in the order its error message lists them.
    static let forbiddenCharacters: [Character] = [" ", "\"", "*", "\\", "<", "|", ",", ">", "/", "?"]

    /// Throws `invalid_index_name_exception` when `name` cannot be an index name.
    public static func validate(_ name: String) throws(ElasticsearchError) {
        if name.contains(where: { forbiddenCharacters.contains($0) }) {
            let list = forbiddenCharacters.map(String.init).joined(separator: ", ")
            throw .invalidIndexName(name, "must not contain the following characters [\(list)]")
        }
        if name.utf8.contains(UInt8(ascii: "#")) { throw .invalidIndexName(name, "must not contain '#'") }
        // 7.x refuses ':' (6.x only deprecated it).
        if name.utf8.contains(UInt8(ascii: ":")) { throw .invalidIndexName(name, "must not contain ':'") }
        if name.isEmpty { throw .invalidIndexName(name, "must not be empty") }
        if let first = name.first, first == "_" || first == "-" || first == "+" {
            throw .invalidIndexName(name, "must not start with '_', '-', or '+'")
        }
        let length = name.utf8.count
        if length > 255 { throw .invalidIndexName(name, "index name is too long, (\(length) > 255)") }
        if name == "." || name == ".." { throw .invalidIndexName(name, "must not be '.' or '..'") }
        // `validateIndexName` checks the case only after all of `validateIndexOrAliasName`.
        if name.lowercased() != name { throw .invalidIndexName(name, "must be lowercase") }
    }

    /// Expands an index expression against the existing names, the way ES resolves them for
    /// search, delete and the security layer: comma lists, `*`/`?`-free wildcards with `*`,
    /// `_all`, and `-pattern` exclusions after an inclusion. A concrete name that does not exist
    /// throws `index_not_found_exception` unless `ignoreUnavailable`; wildcards may match nothing.
    public static func resolve(_ expression: String, existing: [String], ignoreUnavailable: Bool = false) throws(ElasticsearchError) -> [String] {
        let parts = expression.split(separator: ",", omittingEmptySubsequences: true).map {
            String($0).trimmingCharacters(in: " ")
        }
        if parts.isEmpty || parts == ["_all"] || parts == ["*"] { return existing.sorted() }
        var selected: [String] = []
        var seen = Set<String>()
        func add(_ name: String) { if seen.insert(name).inserted { selected.append(name) } }
        for (position, part) in parts.enumerated() {
            if part.hasPrefix("-") && position > 0 {
                let pattern = String(part.dropFirst())
                selected.removeAll { matches($0, pattern: pattern) }
                seen = Set(selected)
                continue
            }
            if part == "_all" {
                existing.sorted().forEach(add)
            } else if part.utf8.contains(UInt8(ascii: "*")) {
                existing.filter { matches($0, pattern: part) }.sorted().forEach(add)
            } else if existing.contains(part) {
                add(part)
            } else if !ignoreUnavailable {
                try validate(part)
                throw .indexNotFound(part)
            }
        }
        return selected
    }

    /// Simple `*` wildcard matching, as ES's `Regex.simpleMatch`.
    public static func matches(_ name: String, pattern: String) -> Bool {
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false).map(Substring.init)
        if pieces.count == 1 { return name == pattern }
        var rest = Substring(name)
        guard rest.hasPrefix(pieces[0]) else { return false }
        rest = rest.dropFirst(pieces[0].count)
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let range = rest.range(of: piece) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(pieces.last!)
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return String(text)
    }
}
