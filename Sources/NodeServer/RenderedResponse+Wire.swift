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
        var buffer = allocator.buffer(capacity: 96 + headers.count * 48 + bytes.count)
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(status))
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(HTTPResponseStatus(statusCode: status).reasonPhrase)
        buffer.writeStaticString("\r\n")
        for (name, value) in headers where Self.isToken(name) {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            if HTTPField.isValidValue(value) {
                buffer.writeString(value)
            } else if let field = HTTPField.Name(name) {
                buffer.writeString(HTTPField(name: field, value: value).value)
            }
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("Date: ")
        buffer.writeString(date)
        buffer.writeStaticString("\r\n\r\n")
        buffer.writeBytes(bytes)
        return buffer
    }

    /// RFC 9110 §5.6.2 `token`: the characters a field name may have.
    static func isToken(_ name: String) -> Bool {
        let utf8 = name.utf8
        return !utf8.isEmpty && (utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isTokenByte) } ?? utf8.allSatisfy(isTokenByte))
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
