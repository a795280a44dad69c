import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Answers point reads (`RequestPipeline.processInline`) on the connection's event loop, in the
/// channel pipeline, and passes every other request on to Hummingbird's async responder
/// (answering `Expect: 100-continue` for it, which Hummingbird does not).
///
/// Why: a keep-alive `GET /movies/_doc/3` costs the node a few microseconds of security checks
/// and one indexed SQLite read, but going through Hummingbird's per-request async machinery (an
/// async sequence per connection, a task switch per part, a thread-pool hop for the read) cost
/// ten times that — on one core the node answered 10k such requests a second where nginx serves
/// 85k static ones (bench/RESULTS.md). The answer is the same either way: same `RequestPipeline`
/// steps, audit events, metrics and `RenderedResponse`.
///
/// HTTP/1.1 pipelining stays in order: a request is only answered here when no request passed
/// on is still waiting for its response (the responses of passed-on requests are counted as
/// they are written back through this handler). The handler sits after Hummingbird's
/// `HTTPConnectionStateHandler`, so idle timeouts and graceful shutdown see these requests too.
final class InlineRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let pipeline: RequestPipeline
    private let maxContentLength: Int
    /// The head of a request that may be answered here, held until its end arrives.
    private var held: HTTPRequest?
    /// Requests passed on to Hummingbird whose response has not been written yet.
    private var passedOn = 0
    private var wroteResponse = false
    /// Set once a `Connection: close` request was answered: what the client sent after it is
    /// never read, even before the close completes.
    private var closing = false
    private var connection: (identity: PeerIdentity, address: String, port: Int)?

    init(pipeline: RequestPipeline, maxContentLength: Int) {
        self.pipeline = pipeline
        self.maxContentLength = maxContentLength
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if passedOn == 0, held == nil, Self.mayAnswer(head) {
                held = head
            } else {
                let continuing = passedOn == 0 && held == nil && expectsContinue(head)
                passOn(head: nil, data, context: context)
                if continuing {
                    context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
                }
            }
        case .body:
            // A body after all (a GET with one): the request is Hummingbird's.
            passOn(head: held.take(), data, context: context)
        case .end:
            guard let head = held.take() else { return context.fireChannelRead(data) }
            if let response = answer(head, context: context) {
                write(response, closing: head.headerFields[.connection]?.lowercased() == "close", context: context)
            } else {
                passOn(head: head, data, context: context)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if wroteResponse {
            wroteResponse = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // An end nobody passed on is Hummingbird's 400 for a request that did not parse.
        if case .end = unwrapOutboundIn(data) { passedOn = max(0, passedOn - 1) }
        context.write(data, promise: promise)
    }

    /// GET and HEAD without a body and without credentials in headers (a password costs a bcrypt
    /// check, which must not run on an event loop): the only requests worth holding.
    private static func mayAnswer(_ head: HTTPRequest) -> Bool {
        guard head.method == .get || head.method == .head else { return false }
        let fields = head.headerFields
        if let length = fields[.contentLength], length != "0" { return false }
        return fields[.transferEncoding] == nil && fields[.authorization] == nil
    }

    /// `Expect: 100-continue` with a body the node will read: the client (curl does this for
    /// bodies over 1 MB, e.g. `--data-binary @bulk.ndjson`) waits for `100 Continue` before
    /// sending it — a second, by curl's default, when none comes. Elasticsearch's HTTP layer
    /// answers it at once; a body over `http.max_content_length` gets the 413 instead (from the
    /// responder, which refuses on the declared length). Only sent when no earlier response is
    /// still being written on the connection, so it can never land inside one.
    private func expectsContinue(_ head: HTTPRequest) -> Bool {
        guard head.headerFields[.expect]?.lowercased() == "100-continue" else { return false }
        guard let length = head.headerFields[.contentLength].flatMap(Int.init) else { return head.headerFields[.transferEncoding] != nil }
        return length > 0 && length <= maxContentLength
    }

    private func passOn(head: HTTPRequest?, _ data: NIOAny, context: ChannelHandlerContext) {
        if let head {
            passedOn += 1
            context.fireChannelRead(wrapInboundOut(.head(head)))
        } else if case .head = unwrapInboundIn(data) {
            passedOn += 1
        }
        context.fireChannelRead(data)
    }

    private func answer(_ head: HTTPRequest, context: ChannelHandlerContext) -> (NodeResponse, ElasticRequest)? {
        let started = ContinuousClock.now
        guard let connection = connectionFacts(context) else { return nil }
        let target = head.path ?? "/"
        let query = target.firstIndex(of: "?")
        let request = ElasticRequest(method: head.method.rawValue, rawPath: String(target[..<(query ?? target.endIndex)]),
                                     rawQuery: query.map { String(target[target.index(after: $0)...]) }, body: [])
        let incoming = RequestPipeline.Incoming(
            request: request, headers: head.headerFields.map { ($0.name.rawName, $0.value) }, identity: connection.identity,
            remoteAddress: connection.address, remotePort: connection.port)
        guard let response = pipeline.processInline(incoming) else { return nil }
        pipeline.metrics.requestCompleted(method: request.method, status: response.status, duration: ContinuousClock.now - started)
        return (response, request)
    }

    /// The peer's identity and address, worked out on the connection's first request.
    private func connectionFacts(_ context: ChannelHandlerContext) -> (identity: PeerIdentity, address: String, port: Int)? {
        if let connection { return connection }
        guard let identity = try? PeerIdentity(of: context.pipeline.syncOperations) else { return nil }
        let remote = context.channel.remoteAddress
        let facts = (identity, remote?.ipAddress ?? "0.0.0.0", remote?.port ?? 0)
        connection = facts
        return facts
    }

    private func write(_ answer: (NodeResponse, ElasticRequest), closing: Bool, context: ChannelHandlerContext) {
        let rendered = RenderedResponse(answer.0, for: answer.1)
        var fields = rendered.fields
        fields[.date] = HTTPDate.now
        context.write(wrapOutboundOut(.head(HTTPResponse(status: rendered.status, headerFields: fields))), promise: nil)
        if !rendered.bytes.isEmpty {
            context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: rendered.bytes))), promise: nil)
        }
        if closing {
            self.closing = true
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
        } else {
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
            wroteResponse = true
        }
    }
}

extension Optional {
    /// The value, leaving nil behind.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}

/// A server child channel that puts an `InlineRequestHandler` behind Hummingbird's HTTP/1.1
/// handlers, right before the async channel that feeds the responder.
struct InlineAnsweringChannel<Base: HTTPChannelHandler>: ServerChildChannel, HTTPChannelHandler {
    typealias Value = Base.Value

    let base: Base
    let pipeline: RequestPipeline
    let maxContentLength: Int

    var responder: HTTPChannelHandler.Responder { base.responder }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (pipeline, maxContentLength) = (self.pipeline, self.maxContentLength)
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let state = try operations.handler(type: HTTPConnectionStateHandler.self)
            try operations.addHandler(InlineRequestHandler(pipeline: pipeline, maxContentLength: maxContentLength), position: .after(state))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
