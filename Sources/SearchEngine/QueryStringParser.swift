import JSONValue

/// The Lucene-style syntax of `query_string` (and `q=`): `field:value`, `"quoted phrases"`,
/// `AND`/`OR`/`NOT`, `+`/`-` prefixes, parentheses, `foo*` prefixes, `?`/`*` wildcards and
/// ranges (`field:[a TO b]`, `field:>=5`). `simple_query_string` mode adds `|` for OR and never
/// fails (unbalanced syntax is read literally), as in ES.
struct QueryStringParser {
    private var tokens: [Token] = []
    private var position = 0
    let text: String
    let defaultFields: [String]
    let defaultOperator: Query.Operator
    let simple: Bool

    enum Token: Equatable {
        case word(String), phrase(String), open, close, and, or, not, plus, minus, colon
    }

    init(text: String, defaultFields: [String], defaultOperator: Query.Operator, simple: Bool) {
        self.text = text
        self.defaultFields = defaultFields
        self.defaultOperator = defaultOperator
        self.simple = simple
    }

    mutating func parse() throws(ElasticsearchError) -> Query {
        tokens = try tokenize()
        let query = try parseSequence(depth: 0)
        guard position == tokens.count else { throw failure() }
        return query
    }

    private func failure() -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "query_shard_exception", reason: "Failed to parse query [\(text)]")
    }

    private func tokenize() throws(ElasticsearchError) -> [Token] {
        var result: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case " ", "\t", "\n": index += 1
            case "(": result.append(.open); index += 1
            case ")": result.append(.close); index += 1
            case ":" where !simple: result.append(.colon); index += 1
            case "|" where simple: result.append(.or); index += 1
            case "+" where index + 1 < characters.count && characters[index + 1] != " ":
                result.append(simple ? .and : .plus); index += 1
            case "-" where index + 1 < characters.count && characters[index + 1] != " " && (result.isEmpty || result.last != .colon):
                result.append(simple ? .not : .minus); index += 1
            case "\"":
                guard let end = characters[(index + 1)...].firstIndex(of: "\"") else {
                    if simple { result.append(.word(String(characters[(index + 1)...]))); index = characters.count; continue }
                    throw failure()
                }
                result.append(.phrase(String(characters[(index + 1)..<end])))
                index = end + 1
            case "[", "{":
                // A range: copy through the closing bracket as one word, parsed by the field clause.
                guard let end = characters[index...].firstIndex(where: { $0 == "]" || $0 == "}" }) else { throw failure() }
                result.append(.word(String(characters[index...end])))
                index = end + 1
            default:
                var word = ""
                while index < characters.count {
                    let current = characters[index]
                    if current == "\\" && index + 1 < characters.count { word.append(characters[index + 1]); index += 2; continue }
                    if " \t\n()\"".contains(current) || (current == ":" && !simple) || (current == "|" && simple) { break }
                    word.append(current)
                    index += 1
                }
                switch word {
                case "AND" where !simple, "&&" where !simple: result.append(.and)
                case "OR" where !simple, "||" where !simple: result.append(.or)
                case "NOT" where !simple, "!" where !simple: result.append(.not)
                default: result.append(.word(word))
                }
            }
        }
        return result
    }

    private enum Occur { case must, should, mustNot }

    /// Lucene's classic rules: adjacent clauses use the default operator; `AND` makes both sides
    /// required, `OR` optional; `NOT`/`-` prohibit, `+` requires.
    private mutating func parseSequence(depth: Int) throws(ElasticsearchError) -> Query {
        guard depth < Query.maxDepth else { throw failure() }
        var clauses: [(Occur, Query)] = []
        var pendingConjunction: Token?
        while position < tokens.count, tokens[position] != .close {
            let token = tokens[position]
            if token == .and || token == .or {
                pendingConjunction = token
                position += 1
                if token == .and, let last = clauses.indices.last, clauses[last].0 == .should { clauses[last].0 = .must }
                continue
            }
            var occur: Occur = defaultOperator == .and ? .must : .should
            if pendingConjunction == .and { occur = .must } else if pendingConjunction == .or { occur = .should }
            switch token {
            case .not, .minus: occur = .mustNot; position += 1
            case .plus: occur = .must; position += 1
            default: break
            }
            clauses.append((occur, try parseClause(depth: depth)))
            pendingConjunction = nil
        }
        if clauses.count == 1, clauses[0].0 != .mustNot { return clauses[0].1 }
        var bool = BoolQuery()
        for (occur, query) in clauses {
            switch occur {
            case .must: bool.must.append(query)
            case .should: bool.should.append(query)
            case .mustNot: bool.mustNot.append(query)
            }
        }
        if bool.must.isEmpty && bool.should.isEmpty && !bool.mustNot.isEmpty { bool.must = [.matchAll(boost: 1)] }
        return .bool(bool)
    }

    private mutating func parseClause(depth: Int) throws(ElasticsearchError) -> Query {
        guard position < tokens.count else { throw failure() }
        var fields = defaultFields
        if case .word(let name) = tokens[position], position + 1 < tokens.count, tokens[position + 1] == .colon {
            fields = [name]
            position += 2
            guard position < tokens.count else { throw failure() }
        }
        let token = tokens[position]
        position += 1
        switch token {
        case .open:
            let inner = try parseSequence(depth: depth + 1)
            guard position < tokens.count, tokens[position] == .close else {
                if simple { return inner }
                throw failure()
            }
            position += 1
            return fields == defaultFields ? inner : try retarget(inner, to: fields)
        case .phrase(let phrase):
            return fieldQuery(fields) { field in .matchPhrase(field: field, text: phrase, boost: 1) }
        case .word(let word):
            return try wordQuery(word, fields: fields)
        default:
            if simple { return .matchNone }
            throw failure()
        }
    }

    /// `title:(a b)` applies the field to every term of the group.
    private func retarget(_ query: Query, to fields: [String]) throws(ElasticsearchError) -> Query {
        switch query {
        case .multiMatch(_, let text, _, let op, let boost):
            return fieldQuery(fields) { .match(field: $0, text: text, operator: op, minimumShouldMatch: nil, boost: boost) }
        case .bool(var bool):
            var must: [Query] = [], should: [Query] = [], mustNot: [Query] = []
            for item in bool.must { must.append(try retarget(item, to: fields)) }
            for item in bool.should { should.append(try retarget(item, to: fields)) }
            for item in bool.mustNot { mustNot.append(try retarget(item, to: fields)) }
            (bool.must, bool.should, bool.mustNot) = (must, should, mustNot)
            return .bool(bool)
        case .matchPhrase(_, let text, let boost):
            return fieldQuery(fields) { .matchPhrase(field: $0, text: text, boost: boost) }
        default:
            return query
        }
    }

    private func fieldQuery(_ fields: [String], _ make: (String) -> Query) -> Query {
        if fields.count == 1 && !fields[0].contains("*") { return make(fields[0]) }
        if case .matchPhrase(_, let text, _) = make("") { return .multiMatch(fields: fields, text: text, type: .phrase, operator: .or, boost: 1) }
        if case .match(_, let text, _, _, _) = make("") { return .multiMatch(fields: fields, text: text, type: .mostFields, operator: .or, boost: 1) }
        return .bool(BoolQuery(should: fields.map(make)))
    }

    private func wordQuery(_ word: String, fields: [String]) throws(ElasticsearchError) -> Query {
        if let range = try rangeQuery(word, fields: fields) { return range }
        if word == "*" { return fields == ["*"] ? .matchAll(boost: 1) : fieldQuery(fields) { .exists(field: $0) } }
        if word.hasSuffix("*"), !word.dropLast().contains(where: { $0 == "*" || $0 == "?" }) {
            let prefix = String(word.dropLast())
            return fieldQuery(fields) { .prefix(field: $0, value: prefix, boost: 1) }
        }
        if word.contains("*") || word.contains("?") {
            return fieldQuery(fields) { .wildcard(field: $0, pattern: word, boost: 1) }
        }
        return fieldQuery(fields) { .match(field: $0, text: word, operator: .or, minimumShouldMatch: nil, boost: 1) }
    }

    /// `[a TO b]`, `{a TO b}`, `>5`, `>=5`, `<5`, `<=5` (`*` leaves a side open).
    private func rangeQuery(_ word: String, fields: [String]) throws(ElasticsearchError) -> Query? {
        var bounds = RangeBounds()
        func value(_ text: Substring) -> JSON? {
            if text == "*" { return nil }
            if let number = Int64(text) { return .int(number) }
            if let number = Double(text) { return .double(number) }
            return .string(String(text))
        }
        if let first = word.first, first == "[" || first == "{", let last = word.last, last == "]" || last == "}" {
            let parts = word.dropFirst().dropLast().components(separatedBy: " TO ")
            guard parts.count == 2 else { throw failure() }
            let low = value(Substring(parts[0].trimmingCharacters(in: " "))), high = value(Substring(parts[1].trimmingCharacters(in: " ")))
            if first == "[" { bounds.gte = low } else { bounds.gt = low }
            if last == "]" { bounds.lte = high } else { bounds.lt = high }
        } else if word.hasPrefix(">=") { bounds.gte = value(word.dropFirst(2))
        } else if word.hasPrefix("<=") { bounds.lte = value(word.dropFirst(2))
        } else if word.hasPrefix(">") { bounds.gt = value(word.dropFirst())
        } else if word.hasPrefix("<") { bounds.lt = value(word.dropFirst())
        } else { return nil }
        return fieldQuery(fields) { .range(field: $0, bounds: bounds, boost: 1) }
    }
}

import Foundation
