/// Why a JSON text could not be read, and where.
///
/// `line` and `column` are 1-based like Jackson's `[Source: ...; line: 1, column: 3]`, so the
/// node's `x_content_parse_exception`/`json_parse_exception` reasons can point at the same place
/// the real Elasticsearch would.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int
    /// Byte offset from the start of the input.
    public var offset: Int

    public var description: String { "\(message) at [line: \(line), column: \(column)]" }
}

extension JSON {
    /// The nesting depth beyond which parsing stops with an error instead of recursing further.
    /// Elasticsearch limits nesting too (`Document nesting depth limit`); 512 leaves room for any
    /// real document while keeping 10,000-deep hostile bodies from exhausting the stack.
    public static let defaultMaxDepth = 512

    /// Parses one JSON value that must fill `bytes` (surrounding whitespace allowed).
    public init(parsing bytes: some Collection<UInt8>, maxDepth: Int = JSON.defaultMaxDepth) throws(JSONParseError) {
        let array = Array(bytes)
        var result: Result<JSON, JSONParseError> = .success(.null)
        array.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer, maxDepth: maxDepth)
            result = Result { () throws(JSONParseError) in try parser.parseDocument() }
        }
        self = try result.get()
    }

    /// Parses a JSON text given as a string.
    public init(parsing text: String, maxDepth: Int = JSON.defaultMaxDepth) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8), maxDepth: maxDepth)
    }
}

/// A single-pass recursive-descent parser over UTF-8 bytes.
///
/// Hand-written on purpose: Foundation's parsers lose key order and the int/float distinction
/// and report no line/column; this one keeps all three and has a depth bound.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private let maxDepth: Int
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSON {
        skipWhitespace()
        guard index < bytes.count else { throw error("Unexpected end of input: expected a JSON value") }
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count {
            throw errorAfterCurrent("Unexpected character \(describe(bytes[index])) after the end of the JSON value")
        }
        return value
    }

    private mutating func parseValue() throws(JSONParseError) -> JSON {
        guard index < bytes.count else { throw error("Unexpected end of input: expected a JSON value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw errorAfterCurrent("Unexpected character \(describe(bytes[index])): expected a JSON value")
        }
    }

    private mutating func enterNested() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth {
            throw error("JSON nesting depth exceeds the limit of \(maxDepth)")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSON {
        try enterNested()
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw errorAfterCurrent("Unexpected \(describeCurrent()): was expecting double-quote to start field name")
            }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else {
                throw errorAfterCurrent("Unexpected \(describeCurrent()): was expecting a colon to separate field name and value")
            }
            index += 1
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(object)
            default:
                throw errorAfterCurrent("Unexpected \(describeCurrent()): was expecting comma to separate Object entries")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSON {
        try enterNested()
        index += 1
        var items: [JSON] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(items)
            default:
                throw errorAfterCurrent("Unexpected \(describeCurrent()): was expecting comma to separate Array entries")
            }
        }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        var ascii = true
        // Fast path: no escapes, so the bytes can be decoded directly; pure ASCII (keys, most
        // values) is valid UTF-8 as it stands and skips validation.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                return try decodeUTF8(slice, at: start)
            }
            ascii = ascii && byte < 0x80
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("Illegal unquoted character (CTRL-CHAR, code \(byte)): has to be escaped using backslash to be included in string value") }
            index += 1
        }
        var buffer = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try buffer.withUnsafeBufferPointer { (pointer) throws(JSONParseError) -> String in
                    try decodeUTF8(pointer, at: start)
                }
            case UInt8(ascii: "\\"):
                index += 1
                try appendEscape(to: &buffer)
            case 0..<0x20:
                throw error("Illegal unquoted character (CTRL-CHAR, code \(byte)): has to be escaped using backslash to be included in string value")
            default:
                buffer.append(byte)
                index += 1
            }
        }
        throw error("Unexpected end of input: was expecting closing quote for a string value")
    }

    private mutating func appendEscape(to buffer: inout [UInt8]) throws(JSONParseError) {
        guard index < bytes.count else { throw error("Unexpected end of input in character escape sequence") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("Unpaired surrogate in \\u escape")
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("Invalid low surrogate in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("Unpaired surrogate in \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("Invalid \\u escape") }
            buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            index -= 1
            throw error("Unrecognized character escape \(describe(byte))")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("Unexpected end of input in \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw errorAfterCurrent("Unexpected character \(describe(byte)): expected a hex-digit for character escape sequence")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = index
        var isInteger = true
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw error("Unexpected \(describeCurrent()): expected digit after minus sign")
        }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) {
                throw error("Invalid numeric value: Leading zeroes not allowed")
            }
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard skipDigits() > 0 else { throw error("Unexpected \(describeCurrent()): Decimal point not followed by a digit") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw error("Unexpected \(describeCurrent()): Exponent indicator not followed by a digit") }
        }
        // Up to 18 digits cannot overflow Int64: accumulate them directly instead of making a
        // String and parsing it again (numbers are most of a log document's values).
        let negative = bytes[start] == UInt8(ascii: "-")
        let firstDigit = negative ? start + 1 : start
        if isInteger, index - firstDigit <= 18 {
            var value: Int64 = 0
            for position in firstDigit..<index { value = value &* 10 &+ Int64(bytes[position] &- UInt8(ascii: "0")) }
            return .int(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let value = Int64(text) { return .int(value) }
        guard let value = Double(text) else { throw error("Invalid numeric value: \(text)") }
        return .double(value)
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index - start
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard index + expected.count <= bytes.count,
              UnsafeBufferPointer(rebasing: bytes[index..<index + expected.count]).elementsEqual(expected)
        else {
            throw error("Unrecognized token: was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')")
        }
        index += expected.count
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }


    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "('\(Character(Unicode.Scalar(byte)))' (code \(byte)))" }
        return "(code \(byte))"
    }

    private func describeCurrent() -> String {
        guard let byte = peek() else { return "end-of-input" }
        return "character \(describe(byte))"
    }

    func position(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for position in 0..<min(offset, bytes.count) where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return (line, offset - lineStart + 1)
    }

    private func error(_ message: String) -> JSONParseError {
        let (line, column) = position(of: index)
        return JSONParseError(message: message, line: line, column: column, offset: index)
    }

    /// An error about the character at `index`: Jackson has consumed that character when it
    /// reports, so its location (and Elasticsearch's `column:`) is the one just after it —
    /// `{a:1}` fails at column 3. At the end of the input there is nothing to step over.
    private func errorAfterCurrent(_ message: String) -> JSONParseError {
        let after = index < bytes.count ? index + 1 : index
        let (line, column) = position(of: after)
        return JSONParseError(message: message, line: line, column: column, offset: index)
    }
}
