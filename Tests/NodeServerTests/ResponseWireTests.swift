import NIOCore
import NIOEmbedded
import NIOHTTP1
@testable import NodeServer
import Testing

/// `RenderedResponse.wire` writes a point read's answer in one buffer, past NIO's encoder: the
/// bytes must be what the encoder writes for the same head and body, and a header field can
/// never split the head, as on Hummingbird's path.
struct ResponseWireTests {
    static let date = "Mon, 30 Nov 2026 11:43:13 GMT"

    static func request(_ method: String = "GET") -> ElasticRequest {
        ElasticRequest(method: method, rawPath: "/movies/_doc/3", rawQuery: nil, body: [])
    }

    static func text(_ buffer: ByteBuffer) -> String {
        String(decoding: buffer.readableBytesView, as: UTF8.self)
    }

    /// What NIO's `HTTPResponseEncoder` writes for the same status, fields and body.
    static func encoded(_ rendered: RenderedResponse) throws -> String {
        let channel = EmbeddedChannel(handler: HTTPResponseEncoder())
        var headers = HTTPHeaders(rendered.headers)
        headers.add(name: "Date", value: date)
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: rendered.status), headers: headers)
        try channel.writeOutbound(HTTPServerResponsePart.head(head))
        if !rendered.bytes.isEmpty { try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: rendered.bytes)))) }
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        var text = ""
        while let part = try channel.readOutbound(as: ByteBuffer.self) { text += Self.text(part) }
        _ = try channel.finish()
        return text
    }

    @Test func theSameBytesAsNIOsEncoderForAHitAMissAndAHead() throws {
        let answers: [(NodeResponse, ElasticRequest, Bool)] = [
            (NodeResponse(body: .bytes(Array(#"{"found":true}"#.utf8), contentType: RenderedResponse.jsonContentType)), Self.request(), false),
            (NodeResponse(status: 404, body: .bytes(Array(#"{"found":false}"#.utf8), contentType: RenderedResponse.jsonContentType)), Self.request(), true),
            (NodeResponse(body: .bytes(Array(#"{"found":true}"#.utf8), contentType: RenderedResponse.jsonContentType)), Self.request("HEAD"), false),
            (NodeResponse(status: 599, body: .empty, headers: [("X-Opaque-Id", "abc")]), Self.request(), false),
        ]
        for (response, request, closing) in answers {
            let rendered = RenderedResponse(response, for: request, closing: closing)
            let wire = Self.text(rendered.wire(date: Self.date, allocator: ByteBufferAllocator()))
            #expect(wire == (try Self.encoded(rendered)))
        }
        let hit = RenderedResponse(answers[0].0, for: answers[0].1)
        #expect(Self.text(hit.wire(date: Self.date, allocator: ByteBufferAllocator())) == """
            HTTP/1.1 200 OK\r
            Content-Type: application/json; charset=UTF-8\r
            Content-Length: 14\r
            Date: \(Self.date)\r
            \r
            {"found":true}
            """)
    }

    /// Field values with CR, LF or NUL are legalized (spaces), as `HTTPField` does on
    /// Hummingbird's path; a name that is not a token is left out.
    @Test func aFieldCannotSplitTheHead() {
        let response = NodeResponse(status: 200, body: .empty, headers: [
            ("X-Opaque-Id", "a\r\nSet-Cookie: stolen=1"), ("Bad Name", "x"), ("X-Null", "a\u{0}b"), ("", "empty"),
        ])
        let wire = Self.text(RenderedResponse(response, for: Self.request()).wire(date: Self.date, allocator: ByteBufferAllocator()))
        #expect(wire == "HTTP/1.1 200 OK\r\nX-Opaque-Id: a  Set-Cookie: stolen=1\r\nX-Null: a b\r\nContent-Length: 0\r\nDate: \(Self.date)\r\n\r\n")
    }
}
