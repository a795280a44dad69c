/// Strings that are not UTF-8, reported the way Jackson (and so Elasticsearch) reports them.
extension JSONParser {
    /// `slice` starts at byte `offset` of the input. Invalid UTF-8 is reported as Jackson words
    /// it (`Invalid UTF-8 start byte 0xff`, `Invalid UTF-8 middle byte 0x41`), at the offending byte.
    func decodeUTF8(_ slice: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONParseError) -> String {
        if let text = String(validating: slice, as: UTF8.self) { return text }
        var (message, bad) = ("Invalid UTF-8 start byte 0x\(String(slice.first ?? 0, radix: 16))", 0)
        var position = 0
        scan: while position < slice.count {
            let lead = slice[position]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default:
                (message, bad) = ("Invalid UTF-8 start byte 0x\(String(lead, radix: 16))", position)
                break scan
            }
            for next in position + 1..<position + length {
                let byte = next < slice.count ? slice[next] : UInt8(ascii: "\"")
                if byte & 0xC0 != 0x80 {
                    (message, bad) = ("Invalid UTF-8 middle byte 0x\(String(byte, radix: 16))", next)
                    break scan
                }
            }
            // Well-formed bytes that Swift still refuses (overlong, surrogate): report the lead.
            if String(validating: UnsafeBufferPointer(rebasing: slice[position..<min(position + length, slice.count)]), as: UTF8.self) == nil {
                (message, bad) = ("Invalid UTF-8 start byte 0x\(String(lead, radix: 16))", position)
                break scan
            }
            position += length
        }
        let location = self.position(of: offset + bad)
        throw JSONParseError(message: message, line: location.line, column: location.column, offset: offset + bad)
    }
}
