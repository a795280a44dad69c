import HTTPTypes
import NIOCore
import NIOHTTP1

extension RenderedResponse {
    /// The whole HTTP/1.1 response in one buffer: status line, header fields, `Date`, the blank
    /// line and the body — what NIO's `HTTPResponseEncoder` would write for the same head and
    /// body, for the point reads `InlineRequestHandler` answers.
    ///
    /// Why one buffer: written as head and body, a response became two TLS records (NIOSSL
    /// seals each write on its own) and cost a header encoding pass through NIO's encoder; nginx
    /// sends a small answer as one record. Fields are treated as Hummingbird's path treats them
    /// (`fields`): a name that is not a token is dropped, and a value with bytes a field value
    /// may not hold (CR, LF, NUL and other controls) is legalized by `HTTPField`, so neither path
    /// can be made to split a header.
    func wire(date: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        let code = String(status), reason = HTTPResponseStatus(statusCode: status).reasonPhrase
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(headers.count + 1)
        for (name, value) in headers where Self.isToken(name) {
            if HTTPField.isValidValue(value) {
                fields.append((name, value))
            } else if let field = HTTPField.Name(name) {
                fields.append((name, HTTPField(name: field, value: value).value))
            }
        }
        fields.append(("Date", date))
        // The exact length first, then one pass of copies: ByteBuffer's write calls each check
        // uniqueness and capacity, which cost more than the copying for a head this small.
        var length = "HTTP/1.1  \r\n\r\n".utf8.count + code.utf8.count + reason.utf8.count + bytes.count
        for (name, value) in fields { length += name.utf8.count + value.utf8.count + 4 }
        var buffer = allocator.buffer(capacity: length)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { raw in
            var out = WireWriter(raw)
            out.append("HTTP/1.1 ")
            out.append(code)
            out.append(" ")
            out.append(reason)
            out.append("\r\n")
            for (name, value) in fields {
                out.append(name)
                out.append(": ")
                out.append(value)
                out.append("\r\n")
            }
            out.append("\r\n")
            bytes.withUnsafeBytes { out.append($0) }
            return out.offset
        }
        return buffer
    }

    /// RFC 9110 §5.6.2 `token`: the characters a field name may have.
    static func isToken(_ name: String) -> Bool {
        var valid = !name.isEmpty
        for byte in name.utf8 where valid {
            valid = byte < 128 && (byte < 64 ? tokenBytesLow >> byte : tokenBytesHigh >> (byte - 64)) & 1 == 1
        }
        return valid
    }

    /// Bit n of `tokenBytesLow` (of `tokenBytesHigh`) is set when byte n (n + 64) may be in a token.
    private static let (tokenBytesLow, tokenBytesHigh): (UInt64, UInt64) = {
        var masks: (UInt64, UInt64) = (0, 0)
        for byte in "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8 {
            if byte < 64 { masks.0 |= 1 << byte } else { masks.1 |= 1 << (byte - 64) }
        }
        return masks
    }()
}

/// Copies into a buffer sized beforehand (`RenderedResponse.wire` counts the bytes first).
private struct WireWriter {
    let base: UnsafeMutableRawBufferPointer
    var offset = 0

    init(_ base: UnsafeMutableRawBufferPointer) { self.base = base }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(offset + bytes.count <= base.count, "the response head was counted short")
        (base.baseAddress! + offset).copyMemory(from: source, byteCount: bytes.count)
        offset += bytes.count
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }
}
