/// Filebeat's index format string (reference §3.6): literal text plus `%{+yyyy.MM.dd}` (a
/// Joda-style date of the event's `@timestamp`, UTC) and `%{[agent.version]}`/`%{[agent.name]}`.
public struct IndexPattern: Sendable {
    enum Part: Sendable { case text(String), date(String) }
    let parts: [Part]

    public init(_ pattern: String, agentName: String, agentVersion: String) throws(ShipperError) {
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let open = rest.range(of: "%{") {
            parts.append(.text(String(rest[..<open.lowerBound])))
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                throw ShipperError("index \"\(pattern)\": unterminated %{")
            }
            let field = rest[open.upperBound..<close]
            switch field {
            case _ where field.hasPrefix("+"): parts.append(.date(String(field.dropFirst())))
            case "[agent.version]", "[beat.version]": parts.append(.text(agentVersion))
            case "[agent.name]", "[beat.name]": parts.append(.text(agentName))
            default:
                throw ShipperError("index \"\(pattern)\": unsupported field %{\(field)}; expected %{+yyyy.MM.dd}, %{[agent.version]} or %{[agent.name]}")
            }
            rest = rest[rest.index(after: close)...]
        }
        parts.append(.text(String(rest)))
        self.parts = parts
    }

    /// The index name for an event stamped `timestamp`.
    func name(at timestamp: Timestamp) -> String {
        parts.map { part in
            switch part {
            case .text(let text): return text
            case .date(let format): return Self.format(format, timestamp)
            }
        }.joined()
    }

    /// The Joda letters Filebeat users write: yyyy, yy, MM, dd, HH (others are copied).
    static func format(_ format: String, _ time: Timestamp) -> String {
        var output = ""
        var rest = Substring(format)
        let tokens: [(String, (Timestamp) -> String)] = [
            ("yyyy", { $0.pad($0.year, 4) }), ("yy", { $0.pad($0.year % 100, 2) }), ("MM", { $0.pad($0.month, 2) }),
            ("dd", { $0.pad($0.day, 2) }), ("HH", { $0.pad($0.hour, 2) }),
        ]
        outer: while let first = rest.first {
            for (token, render) in tokens where rest.hasPrefix(token) {
                output += render(time)
                rest = rest.dropFirst(token.count)
                continue outer
            }
            output.append(first)
            rest = rest.dropFirst()
        }
        return output
    }
}
