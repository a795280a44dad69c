/// The action line shape bulk clients send for almost every item — `{"create":{"_index":"x"}}`
/// or `{"index":{"_index":"x","_id":"y"}}`, compact, no escapes — read without building a JSON
/// tree. It was a tenth of bulk ingest's Swift-side instructions (callgrind), for a line
/// whose meaning is fixed. Anything else (spaces, other keys or order, escapes, non-ASCII)
/// returns nil and goes through the general parser, which also produces every error message.
extension BulkRequest {
    static func compactActionLine(_ bytes: ArraySlice<UInt8>, line: Int) -> BulkItem? {
        var cursor = bytes.startIndex
        func expect(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.endIndex - cursor >= count else { return false }
            for offset in 0..<count where bytes[cursor + offset] != literal.utf8Start[offset] { return false }
            cursor += count
            return true
        }
        /// A quoted string's characters up to the closing quote: printable ASCII without `\` or `"`.
        func plainString() -> String? {
            let start = cursor
            while cursor < bytes.endIndex {
                let byte = bytes[cursor]
                if byte == UInt8(ascii: "\"") {
                    guard cursor > start else { return nil }
                    defer { cursor += 1 }
                    return String(decoding: bytes[start..<cursor], as: UTF8.self)
                }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
                cursor += 1
            }
            return nil
        }
        guard expect("{\""), let name = plainString(), let action = BulkItem.Action(rawValue: name),
              expect(":{\"_index\":\""), let index = plainString() else { return nil }
        var id: String?
        if expect(",\"_id\":\"") {
            guard let value = plainString() else { return nil }
            id = value
        }
        guard expect("}}"), cursor == bytes.endIndex else { return nil }
        if (action == .update || action == .delete) && id == nil { return nil }
        return BulkItem(action: action, index: index, id: id, source: nil, update: nil, condition: nil, line: line)
    }
}
