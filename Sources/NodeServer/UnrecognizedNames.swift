import SearchEngine

/// ES's message for unknown names in a request (`BaseRestHandler.unrecognized`): the names
/// sorted, each in brackets, each with the known names closest to it (Lucene's Levenshtein
/// similarity above 0.5, best first) as a "did you mean" hint.
extension ElasticAPI {
    static func unrecognized(_ request: ElasticRequest, _ invalids: Set<String>, candidates: Set<String>, detail: String) -> String {
        var message = "request [\(request.path)] contains unrecognized \(detail)\(invalids.count > 1 ? "s" : ""): "
        for (position, invalid) in invalids.sorted().enumerated() {
            if position > 0 { message += ", " }
            message += "[\(invalid)]"
            let scored: [(score: Float, name: String)] = candidates.map { (similarity(invalid, $0), $0) }.filter { $0.score > 0.5 }
            let close = scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.name < $1.name }.map(\.name)
            if close.count == 1 { message += " -> did you mean [\(close[0])]?" }
            if close.count > 1 { message += " -> did you mean any of [\(close.joined(separator: ", "))]?" }
        }
        return message
    }

    /// Lucene's `LevenshteinDistance.getDistance`: 1 − edits / length of the longer string.
    static func similarity(_ a: String, _ b: String) -> Float {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        var previous = Array(0...b.count)
        for i in a.indices {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for j in b.indices {
                let substitution = previous[j] + (a[i] == b[j] ? 0 : 1)
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, substitution)
            }
            previous = current
        }
        return 1 - Float(previous[b.count]) / Float(max(a.count, b.count))
    }
}
