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
        for (name, value) in headers {
            guard let field = HTTPField.Name(name) else { continue }
            fields.append((name, HTTPField.isValidValue(value) ? value : HTTPField(name: field, value: value).value))
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
