/// Filebeat's `${VAR}` / `${VAR:default}` expansion in configuration values, so the same
/// `shipper.yml` serves the native lab and compose (which overrides hosts through the
/// environment). `$${` stays a literal `${`, as in Filebeat's config library.
struct EnvironmentExpander: Sendable {
    struct Failure: Error { var message: String }

    var variables: [String: String]

    func expand(_ text: String) throws(Failure) -> String {
        guard text.contains("${") else { return text }
        var output = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            if start.lowerBound > rest.startIndex && rest[rest.index(before: start.lowerBound)] == "$" {
                output += rest[..<rest.index(before: start.lowerBound)] + "${"
                rest = rest[start.upperBound...]
                continue
            }
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw Failure(message: "unterminated \"${\" in \"\(text)\"; expected ${VAR} or ${VAR:default}")
            }
            let reference = rest[start.upperBound..<end]
            let name: Substring
            var fallback: Substring?
            if let colon = reference.firstIndex(of: ":") {
                name = reference[..<colon]
                fallback = reference[reference.index(after: colon)...]
            } else {
                name = reference
            }
            if let value = variables[String(name)] {
                output += value
            } else if let fallback {
                output += fallback
            } else {
                throw Failure(message: "environment variable \(name) is not set and \"${\(name)}\" has no default (write ${\(name):default})")
            }
            rest = rest[rest.index(after: end)...]
        }
        return output + rest
    }
}
