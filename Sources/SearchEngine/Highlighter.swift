import JSONValue

/// Marks a hit's matching words the way ES 7.10's default `unified` highlighter does.
///
/// - Text fields are split into words as they were indexed (`QueryCompiler.tokens`); every
///   matching word is wrapped on its own (`<em>quick</em> <em>brown</em>` for a phrase), and a
///   phrase marks only where its words stand together. Keyword fields mark whole values.
/// - `number_of_fragments: 0` returns each matching value whole. Otherwise (default 5 of
///   `fragment_size` 100) a value is cut into passages along sentence ends: a passage starts at
///   the sentence of a match and takes the following sentences while it stays within
///   `fragment_size`; a longer sentence is cut at word boundaries around its first match. The
///   best-scoring passages (most marked words) are returned in text order, or by score with
///   `order: score`. Values no longer than `fragment_size` come back exactly as ES returns
///   them; the cut of longer text follows ES's rules but may differ from its `BreakIterator`
///   by a word at a passage's edge.
/// - `no_match_size` returns the start of a field that has no match; `encoder: html` escapes
///   the text around the tags as Lucene's `SimpleHTMLEncoder` does.
struct Highlighter {
    let highlight: Highlight
    let terms: HighlightTerms

    /// `{"field": ["fragment", ...]}` for one hit, or nil when no field has anything to show.
    func fragments(of source: JSON, index: IndexMetadata) -> JSONObject? {
        var result = JSONObject()
        for (pattern, options) in highlight.fields {
            let fields = pattern.contains("*") ? index.fields.keys.sorted().filter { IndexName.matches($0, pattern: pattern) } : [pattern]
            for path in fields {
                guard let info = index.field(path), info.type == .text || info.type == .keyword, result[path] == nil else { continue }
                let values = Self.values(at: sourcePath(path, index: index), in: source)
                if let fragments = mark(values, field: path, keyword: info.type == .keyword, options: options), !fragments.isEmpty {
                    result[path] = .array(fragments.map(JSON.string))
                }
            }
        }
        return result.isEmpty ? nil : result
    }

    /// Where a field's text is in `_source`: a multi-field (`title.keyword`) reads its parent's.
    private func sourcePath(_ path: String, index: IndexMetadata) -> [String] {
        if let parent = index.fields.values.first(where: { $0.multiFields.contains(path) }) { return parent.path.split(separator: ".").map(String.init) }
        return path.split(separator: ".").map(String.init)
    }

    static func values(at path: [String], in json: JSON) -> [String] {
        guard let first = path.first else {
            switch json {
            case .string(let text): return [text]
            case .array(let items): return items.flatMap { values(at: [], in: $0) }
            case .int, .double, .bool: return [json.serialized()]
            default: return []
            }
        }
        switch json {
        case .object(let object): return object[first].map { values(at: Array(path.dropFirst()), in: $0) } ?? []
        case .array(let items): return items.flatMap { values(at: path, in: $0) }
        default: return []
        }
    }

    private func mark(_ values: [String], field: String, keyword: Bool, options: Highlight.Options) -> [String]? {
        let defaults = highlight.defaults
        let clauses = terms.clauses(for: field, requireFieldMatch: options.requireFieldMatch ?? defaults.requireFieldMatch ?? true)
        let tags = (options.preTag ?? defaults.preTag ?? "<em>", options.postTag ?? defaults.postTag ?? "</em>")
        let size = options.fragmentSize ?? defaults.fragmentSize ?? 100
        let count = options.numberOfFragments ?? defaults.numberOfFragments ?? 5
        var passages: [Passage] = []
        for (position, value) in values.enumerated() {
            let words = keyword ? [Word(range: value.startIndex..<value.endIndex, text: value)] : Self.words(value)
            let marked = Self.matches(words, clauses, keyword: keyword)
            if marked.isEmpty { continue }
            let ranges = marked.sorted().map { words[$0].range }
            if count == 0 || keyword {
                passages.append(Passage(value: position, start: value.startIndex, end: value.endIndex, marks: ranges))
            } else {
                passages += Passage.cut(value, marks: ranges, size: size).map { var passage = $0; passage.value = position; return passage }
            }
        }
        if passages.isEmpty {
            let noMatch = options.noMatchSize ?? defaults.noMatchSize ?? 0
            guard noMatch > 0, let first = values.first else { return nil }
            return [encode(String(first[..<Passage.wordEnd(first, from: first.startIndex, size: noMatch)]).trimmingWhitespace())]
        }
        if count > 0 {
            passages = Array(passages.enumerated().sorted { ($1.element.marks.count, $0.offset) < ($0.element.marks.count, $1.offset) }
                .prefix(count).map(\.element))
            if !(options.orderByScore ?? defaults.orderByScore ?? false) {
                passages.sort { ($0.value, $0.start) < ($1.value, $1.start) }
            }
        }
        return passages.map { render($0, in: values[$0.value], tags: tags) }
    }

    struct Word {
        var range: Range<String.Index>
        var text: String
    }

    /// The words of `text` as the index splits them, with where each stands.
    static func words(_ text: String) -> [Word] {
        var words: [Word] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let scalar = text.unicodeScalars[index]
            let inWord = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            if inWord, start == nil { start = index }
            if !inWord, let begin = start {
                words.append(Word(range: begin..<index, text: String(text[begin..<index]).lowercased()))
                start = nil
            }
            index = text.unicodeScalars.index(after: index)
        }
        if let begin = start { words.append(Word(range: begin..<text.endIndex, text: String(text[begin...]).lowercased())) }
        return words
    }

    /// The positions of the words (or of the single keyword value) any clause marks.
    static func matches(_ words: [Word], _ clauses: [HighlightTerms.Clause], keyword: Bool) -> Set<Int> {
        var marked = Set<Int>()
        for clause in clauses {
            switch (clause.matcher, keyword) {
            case (.exact(let value), true): if words[0].text == value { marked.insert(0) }
            case (.prefix(let prefix), true): if words[0].text.hasPrefix(prefix) { marked.insert(0) }
            case (.glob(let pattern), true): if Wildcard.matches(pattern, words[0].text) { marked.insert(0) }
            case (.word(let word), false): for (position, candidate) in words.enumerated() where candidate.text == word { marked.insert(position) }
            case (.prefix(let prefix), false):
                for (position, candidate) in words.enumerated() where candidate.text.hasPrefix(prefix.lowercased()) { marked.insert(position) }
            case (.glob(let pattern), false):
                for (position, candidate) in words.enumerated() where Wildcard.matches(pattern.lowercased(), candidate.text) { marked.insert(position) }
            case (.phrase(let phrase), false) where !phrase.isEmpty && phrase.count <= words.count:
                for start in 0...(words.count - phrase.count) where (0..<phrase.count).allSatisfy({ words[start + $0].text == phrase[$0] }) {
                    marked.formUnion(start..<(start + phrase.count))
                }
            default: continue
            }
        }
        return marked
    }

    private func render(_ passage: Passage, in value: String, tags: (String, String)) -> String {
        var output = ""
        var cursor = passage.start
        for mark in passage.marks where mark.lowerBound >= passage.start && mark.upperBound <= passage.end {
            output += encode(String(value[cursor..<mark.lowerBound])) + tags.0 + encode(String(value[mark])) + tags.1
            cursor = mark.upperBound
        }
        output += encode(String(value[cursor..<passage.end]))
        return passage.trimmed ? output.trimmingWhitespace() : output
    }

    private func encode(_ text: String) -> String {
        guard highlight.htmlEncoder else { return text }
        var result = ""
        for character in text {
            switch character {
            case "\"": result += "&quot;"
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "'": result += "&#x27;"
            case "/": result += "&#x2F;"
            default: result.append(character)
            }
        }
        return result
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view.removeFirst() }
        while view.last?.isWhitespace == true { view.removeLast() }
        return String(view)
    }
}
