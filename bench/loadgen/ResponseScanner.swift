import Foundation
import NIOCore

/// Finds response boundaries in the bytes of one keep-alive connection without building header
/// objects: the status code from the status line, the body length from `Content-Length` or
/// chunked framing. wrk does the same with a C parser; NIOHTTP1's decoder allocates a head and
/// header storage per response, which made the load tool slower than the servers it measured.
/// Responses without a length (read-until-close) end when the connection does.
struct ResponseScanner {
    private var buffer = ByteBuffer()
    private var pending: (status: UInt, framing: Framing)?

    private enum Framing {
        case length(Int)
        case chunked
        case untilClose
    }

    mutating func append(_ bytes: inout ByteBuffer) {
        if buffer.readableBytes == 0 { buffer = bytes } else { buffer.writeBuffer(&bytes) }
    }

    enum Outcome { case response(UInt), needMore, malformed }

    /// The status of the next complete response, consuming it.
    mutating func next() -> Outcome {
        if pending == nil {
            let view = buffer.readableBytesView
            guard let end = Self.headEnd(view) else { return buffer.readableBytes > 65_536 ? .malformed : .needMore }
            let head = view[view.startIndex ..< end]
            guard let (status, framing) = Self.parseHead(head) else { return .malformed }
            buffer.moveReaderIndex(forwardBy: end - view.startIndex + 4)
            pending = (status, framing)
        }
        guard let (status, framing) = pending else { return .needMore }
        switch framing {
        case .length(let length):
            guard buffer.readableBytes >= length else { return .needMore }
            buffer.moveReaderIndex(forwardBy: length)
        case .chunked:
            guard let consumed = Self.chunkedLength(buffer.readableBytesView) else { return .needMore }
            buffer.moveReaderIndex(forwardBy: consumed)
        case .untilClose:
            return .needMore
        }
        pending = nil
        buffer.discardReadBytes()
        return .response(status)
    }

    /// The status of a response that ends with the connection.
    mutating func closed() -> UInt? {
        if case .untilClose = pending?.framing { return pending?.status }
        return nil
    }

    private static func headEnd(_ view: ByteBufferView) -> Int? {
        var index = view.startIndex
        while index + 3 < view.endIndex {
            if view[index] == 13, view[index + 1] == 10, view[index + 2] == 13, view[index + 3] == 10 { return index }
            index += 1
        }
        return nil
    }

    private static func parseHead(_ head: ByteBufferView.SubSequence) -> (UInt, Framing)? {
        guard head.count >= 12 else { return nil }
        let digits = head.dropFirst(9).prefix(3)
        guard digits.allSatisfy({ (48 ... 57).contains($0) }) else { return nil }
        let status = digits.reduce(UInt(0)) { $0 * 10 + UInt($1 - 48) }
        if status == 204 || status == 304 || (100 ..< 200).contains(status) { return (status, .length(0)) }
        // Header lines, walked in place (no per-line allocation).
        var lineStart = head.firstIndex(of: 10).map { $0 + 1 } ?? head.endIndex
        while lineStart < head.endIndex {
            let lineEnd = head[lineStart...].firstIndex(of: 10) ?? head.endIndex
            let line = head[lineStart ..< lineEnd]
            lineStart = lineEnd + 1
            guard let colon = line.firstIndex(of: 58) else { continue }
            let name = line[line.startIndex ..< colon]
            var value: [UInt8] { line[(colon + 1)...].filter { $0 != 32 && $0 != 9 && $0 != 13 } }
            if equalsIgnoringCase(name, "content-length") {
                let value = value
                guard !value.isEmpty, value.allSatisfy({ (48 ... 57).contains($0) }) else { return nil }
                return (status, .length(value.reduce(0) { $0 * 10 + Int($1 - 48) }))
            }
            if equalsIgnoringCase(name, "transfer-encoding"), case let value = value, value.count >= 7,
               equalsIgnoringCase(value.suffix(7), "chunked") {
                return (status, .chunked)
            }
        }
        return (status, .untilClose)
    }

    /// ASCII case-insensitive comparison with a lower-case literal.
    private static func equalsIgnoringCase<Bytes: Collection<UInt8>>(_ bytes: Bytes, _ lower: StaticString) -> Bool {
        guard bytes.count == lower.utf8CodeUnitCount else { return false }
        return lower.withUTF8Buffer { literal in
            zip(bytes, literal).allSatisfy { ($0 | 0x20) == $1 || $0 == $1 }
        }
    }

    /// Bytes of a complete chunked body at the start of `view`, or nil when it is not all there.
    private static func chunkedLength(_ view: ByteBufferView) -> Int? {
        var index = view.startIndex
        while true {
            guard let lineEnd = view[index...].firstIndex(of: 10) else { return nil }
            let sizeText = String(decoding: view[index ..< lineEnd], as: UTF8.self)
                .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces.union(.newlines)) } ?? ""
            guard let size = Int(sizeText, radix: 16) else { return nil }
            index = lineEnd + 1
            if size == 0 {
                // Trailers end with an empty line.
                while true {
                    guard let end = view[index...].firstIndex(of: 10) else { return nil }
                    let empty = end == index || (end == index + 1 && view[index] == 13)
                    index = end + 1
                    if empty { return index - view.startIndex }
                }
            }
            guard view.endIndex - index >= size + 2 else { return nil }
            index += size + 2
        }
    }
}
