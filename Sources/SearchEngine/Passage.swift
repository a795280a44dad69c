/// A stretch of one field value the highlighter returns, with the marked words inside it.
///
/// `cut` follows the unified highlighter's bounded sentence scanning: passages start at the
/// sentence holding a match and grow by whole sentences up to `size` characters (UTF-16 code
/// units, Java's `String.length()`); a sentence longer than `size` is cut at word boundaries
/// so that it starts with the sentence, or just before its first match when that lies beyond
/// `size`. Sentences end after `.`, `!` or `?` followed by white space.
struct Passage {
    var value = 0
    var start: String.Index
    var end: String.Index
    var marks: [Range<String.Index>]
    var trimmed = true

    static func cut(_ text: String, marks: [Range<String.Index>], size: Int) -> [Passage] {
        let sentences = Self.sentences(text)
        var passages: [Passage] = []
        var covered = text.startIndex
        for mark in marks where mark.lowerBound >= covered {
            guard let first = sentences.firstIndex(where: { $0.contains(mark.lowerBound) }) else { continue }
            var start = max(sentences[first].lowerBound, covered)
            var end = sentences[first].upperBound
            if length(text, start, end) > size {
                if length(text, start, mark.upperBound) > size { start = wordStart(text, before: mark.lowerBound) }
                end = min(wordEnd(text, from: start, size: size), sentences[first].upperBound)
                if end < mark.upperBound { end = mark.upperBound }
            } else {
                var next = first + 1
                while next < sentences.count, length(text, start, sentences[next].upperBound) <= size {
                    end = sentences[next].upperBound
                    next += 1
                }
            }
            passages.append(Passage(start: start, end: end, marks: marks.filter { $0.lowerBound >= start && $0.upperBound <= end }))
            covered = end
        }
        return passages
    }

    static func length(_ text: String, _ from: String.Index, _ to: String.Index) -> Int {
        text.utf16.distance(from: from, to: to)
    }

    /// Sentence ranges covering `text`, each with its trailing white space.
    static func sentences(_ text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if ".!?".contains(text[index]), next < text.endIndex, text[next].isWhitespace {
                var end = next
                while end < text.endIndex, text[end].isWhitespace { end = text.index(after: end) }
                result.append(start..<end)
                start = end
                index = end
                continue
            }
            index = next
        }
        if start < text.endIndex { result.append(start..<text.endIndex) }
        return result
    }

    /// The end of the last whole word within `size` characters from `from` (or `size` itself
    /// when a single word is longer).
    static func wordEnd(_ text: String, from: String.Index, size: Int) -> String.Index {
        guard let limit = text.utf16.index(from, offsetBy: size, limitedBy: text.endIndex) else { return text.endIndex }
        var end = limit
        if end < text.endIndex && !text[end].isWhitespace {
            while end > from, !text[text.index(before: end)].isWhitespace { end = text.index(before: end) }
            if end == from { end = limit }
        }
        return end
    }

    /// The start of the word at or before `index`.
    static func wordStart(_ text: String, before index: String.Index) -> String.Index {
        var start = index
        while start > text.startIndex, !text[text.index(before: start)].isWhitespace { start = text.index(before: start) }
        return start
    }
}
