import JSONValue

/// What a search's query asks the highlighter to mark, clause by clause, with the fields each
/// clause names (ES's highlighter extracts the same from the query's weight).
///
/// `must`, `should` and `filter` clauses count; `must_not` clauses do not, since their terms
/// are absent from every hit. Ranges, `exists`, `ids` and `match_all` mark nothing.
struct HighlightTerms: Sendable {
    enum Matcher: Sendable {
        /// A word of analysed text (lowercased), or of a term query as sent.
        case word(String)
        case phrase([String])
        case prefix(String)
        case glob(String)
        /// A whole keyword value.
        case exact(String)
    }

    struct Clause: Sendable {
        var fields: [String]
        var matcher: Matcher
    }

    private(set) var clauses: [Clause] = []

    init(_ query: Query) { collect(query) }

    private mutating func add(_ fields: [String], _ matcher: Matcher) { clauses.append(Clause(fields: fields, matcher: matcher)) }

    private mutating func collect(_ query: Query) {
        switch query {
        case .match(let field, let text, _, _, _):
            for word in QueryCompiler.tokens(text) { add([field], .word(word)) }
            add([field], .exact(text))
        case .matchPhrase(let field, let text, _):
            add([field], .phrase(QueryCompiler.tokens(text)))
            add([field], .exact(text))
        case .multiMatch(let patterns, let text, let type, _, _):
            let fields = patterns.map { String($0.split(separator: "^").first ?? "") }
            if type == .phrase {
                add(fields, .phrase(QueryCompiler.tokens(text)))
            } else {
                for word in QueryCompiler.tokens(text) { add(fields, .word(word)) }
            }
            add(fields, .exact(text))
        case .term(let field, let value, _):
            if let text = QueryCompiler.text(of: value) { add([field], .word(text)); add([field], .exact(text)) }
        case .terms(let field, let values, _):
            for text in values.compactMap(QueryCompiler.text(of:)) { add([field], .word(text)); add([field], .exact(text)) }
        case .prefix(let field, let value, _):
            add([field], .prefix(value))
        case .wildcard(let field, let pattern, _):
            add([field], .glob(pattern))
        case .bool(let bool):
            for clause in bool.must + bool.should + bool.filter { collect(clause) }
        case .constantScore(let filter, _):
            collect(filter)
        case .matchAll, .matchNone, .range, .exists, .ids:
            break
        }
    }

    /// The clauses that apply to `field`: those naming it (or a pattern matching it), or all of
    /// them when `requireFieldMatch` is off.
    func clauses(for field: String, requireFieldMatch: Bool) -> [Clause] {
        guard requireFieldMatch else { return clauses }
        return clauses.filter { clause in clause.fields.contains { IndexName.matches(field, pattern: $0) } }
    }
}
