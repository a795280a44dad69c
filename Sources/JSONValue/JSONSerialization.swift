extension JSON {
    /// Compact JSON text, keys in insertion order, escaped the way Jackson (the JVM products'
    /// JSON library) escapes: `"`, `\` and control characters only; `/` and non-ASCII as is.
    public func serialized() -> String {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        write(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The same as `serialized()`, as UTF-8 bytes for a response body.
    public func serializedBytes() -> [UInt8] {
        var output: [UInt8] = []
        write(to: &output)
        return output
    }

    /// Appends the compact JSON text of `self` to `output`.
    public func write(to output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): JSON.writeInteger(value, to: &output)
        case .double(let value): output.append(contentsOf: JSON.javaDoubleText(value).utf8)
        case .string(let value): JSON.writeString(value, to: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for position in items.indices {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                items[position].write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for position in object.entries.indices {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                JSON.writeString(object.entries[position].key, to: &output)
                output.append(UInt8(ascii: ":"))
                object.entries[position].value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends the decimal digits of `value` (no `String` in between: a bulk response holds
    /// five numbers per item).
    static func writeInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        if magnitude < 10 {
            output.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var position = 20
            while magnitude > 0 {
                position -= 1
                digits[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position...]))
        }
    }

    /// Appends `value` as a quoted, escaped JSON string.
    public static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most strings (ids, index names, log lines) need no escape: one scan of the contiguous
        // UTF-8 and one copy, instead of a capacity check per byte.
        let copied: Bool? = value.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where needsEscape(byte) { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if copied != true {
            for byte in value.utf8 { appendEscaped(byte, to: &output) }
        }
        output.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func appendEscaped(_ byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
        case 0x0A: output.append(contentsOf: #"\n"#.utf8)
        case 0x0D: output.append(contentsOf: #"\r"#.utf8)
        case 0x09: output.append(contentsOf: #"\t"#.utf8)
        case 0x08: output.append(contentsOf: #"\b"#.utf8)
        case 0x0C: output.append(contentsOf: #"\f"#.utf8)
        case 0..<0x20:
            let hex = Array("0123456789ABCDEF".utf8)
            output.append(contentsOf: #"\u00"#.utf8)
            output.append(hex[Int(byte >> 4)])
            output.append(hex[Int(byte & 0x0F)])
        default: output.append(byte)
        }
    }

    /// A double as Java's `Double.toString` writes it, which is what Elasticsearch puts in
    /// aggregation values: `12.0`, `0.001`, `1.0E7`, `1.5E-5`. Non-finite values become `null`,
    /// as JSON has no spelling for them.
    public static func javaDoubleText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e7 {
            let text = "\(value)"
            return text.contains(".") ? text : text + ".0"
        }
        // Scientific notation: Java writes the shortest digits as d.dddE±n ("1.0E7", "1.5E-5").
        let (digits, exponent) = decimalDigits(of: magnitude)
        let fraction = digits.count > 1 ? String(digits.dropFirst()) : "0"
        return (value < 0 ? "-" : "") + String(digits.first!) + "." + fraction + "E" + String(exponent)
    }

    /// The shortest round-trip decimal digits of a positive finite `value` (no leading or
    /// trailing zeros) and the power of ten of the first digit.
    private static func decimalDigits(of value: Double) -> (digits: String, exponent: Int) {
        let text = "\(value)"
        var significand = text
        var exponent = 0
        if let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            significand = String(text[..<marker])
            exponent = Int(text[text.index(after: marker)...]) ?? 0
        }
        let parts = significand.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count  // digits before the decimal point
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, exponent + pointPosition - 1)
    }
}

extension JSON: CustomStringConvertible {
    public var description: String { serialized() }
}
