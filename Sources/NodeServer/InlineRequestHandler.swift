import NIOCore
import NIOHTTP1
import SecurityEngine

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
/// The handler sits right after NIO's HTTP/1.1 decoder and encoder, before Hummingbird's
/// conversion to Swift HTTP Types (`HTTP1ToHTTPServerCodec`), whose URL parsing and header
/// copies cost as much as the rest of an answered read. So Hummingbird's connection state
/// handler never sees these requests, and the handler keeps `http.read_timeout` itself
/// (`ConnectionIdleTimer`; Hummingbird's idle timeout is off). Its own answers are encoded
/// whole (`RenderedResponse.wire`) and written through the `ResponseOutlet` beneath NIO's
/// encoder (`InlineAnsweringChannel` sets both up). A request that repeats the connection's
/// last one while nothing it depends on changed gets that answer again (`RepeatedAnswer`).
///
/// HTTP/1.1 pipelining stays in order: a request is only answered here when no request passed
/// on is still waiting for its response (the responses of passed-on requests are counted as
/// they are written back through this handler).

final class InlineRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let pipeline: RequestPipeline
    private let maxContentLength: Int
    /// The head of a request that may be answered here, held until its end arrives.
    private var held: HTTPRequestHead?
    /// Requests passed on to Hummingbird whose response has not been written yet.
    private var passedOn = 0
    /// Between a request's head and its end.
    private var readingRequest = false
    private var wroteResponse = false
    /// Set once a `Connection: close` request was answered: what the client sent after it is
    /// never read, even before the close completes.
    private var closing = false
    private var connection: (identity: PeerIdentity, address: String, port: Int)?
    /// The connection's last certificate authentication, reused while it still applies.
    private var authentication: AuthenticationMemo?
    /// The connection's last answer, written again for the same request while it still applies.
    private var repeated: RepeatedAnswer?
    private var idle: ConnectionIdleTimer?
    /// Where this handler's own answers enter the pipeline, past NIO's response encoder.
    private let outlet: ResponseOutlet

    init(pipeline: RequestPipeline, maxContentLength: Int, readTimeout: TimeAmount?, outlet: ResponseOutlet) {
        self.pipeline = pipeline
        self.maxContentLength = maxContentLength
        self.idle = readTimeout.map(ConnectionIdleTimer.init)
        self.outlet = outlet
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { scheduleIdleCheck(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        scheduleIdleCheck(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idle?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idle?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        idle?.touch()
        switch unwrapInboundIn(data) {
        case .head(let head):
            readingRequest = true
            if passedOn == 0, held == nil, Self.mayAnswer(head) {
                held = head
            } else {
                let continuing = passedOn == 0 && held == nil && expectsContinue(head)
                passOn(head: nil, data, context: context)
                if continuing {
                    context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
                }
            }
        case .body:
            // A body after all (a GET with one): the request is Hummingbird's.
            passOn(head: held.take(), data, context: context)
        case .end:
            readingRequest = false
            guard let head = held.take() else { return context.fireChannelRead(data) }
            if !replay(head, context: context), !answer(head, context: context) {
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
        if case .end = unwrapOutboundIn(data) {
            passedOn = max(0, passedOn - 1)
            idle?.touch()
        }
        context.write(data, promise: promise)
    }

    /// GET and HEAD of an origin-form target (`/path?query`) without a body and without
    /// credentials in headers (a password costs a bcrypt check, which must not run on an event
    /// loop): the only requests worth holding.
    private static func mayAnswer(_ head: HTTPRequestHead) -> Bool {
        guard head.method == .GET || head.method == .HEAD, head.uri.utf8.first == UInt8(ascii: "/") else { return false }
        let headers = head.headers
        if let length = headers.first(name: "content-length"), length != "0" { return false }
        return !headers.contains(name: "transfer-encoding") && !headers.contains(name: "authorization")
    }

    /// `Expect: 100-continue` with a body the node will read: the client (curl does this for
    /// bodies over 1 MB, e.g. `--data-binary @bulk.ndjson`) waits for `100 Continue` before
    /// sending it — a second, by curl's default, when none comes. Elasticsearch's HTTP layer
    /// answers it at once; a body over `http.max_content_length` gets the 413 instead (from the
    /// responder, which refuses on the declared length). Only sent when no earlier response is
    /// still being written on the connection, so it can never land inside one.
    private func expectsContinue(_ head: HTTPRequestHead) -> Bool {
        guard head.headers.first(name: "expect")?.lowercased() == "100-continue" else { return false }
        guard let length = head.headers.first(name: "content-length").flatMap(Int.init) else {
            return head.headers.contains(name: "transfer-encoding")
        }
        return length > 0 && length <= maxContentLength
    }

    private func passOn(head: HTTPRequestHead?, _ data: NIOAny, context: ChannelHandlerContext) {
        if let head {
            passedOn += 1
            context.fireChannelRead(wrapInboundOut(.head(head)))
        } else if case .head = unwrapInboundIn(data) {
            passedOn += 1
        }
        context.fireChannelRead(data)
    }

    /// Writes the connection's last answer again if `head` repeats its request (`RepeatedAnswer`).
    private func replay(_ head: HTTPRequestHead, context: ChannelHandlerContext) -> Bool {
        guard let repeated, let connection else { return false }
        let started = ContinuousClock.now
        guard let wire = repeated.answer(head, identity: connection.identity, pipeline: pipeline) else { return false }
        pipeline.metrics.requestCompleted(method: repeated.method, status: repeated.status, duration: ContinuousClock.now - started)
        pipeline.metrics.answerRepeated()
        write(wire, closing: false, context: context)
        return true
    }

    /// Answers `head` here if `RequestPipeline.processInline` can; false to pass it on.
    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) -> Bool {
        let started = ContinuousClock.now
        guard let connection = connectionFacts(context) else { return false }
        let target = head.uri
        let query = target.utf8.firstIndex(of: UInt8(ascii: "?"))
        let request = ElasticRequest(method: head.method.rawValue, rawPath: String(target[..<(query ?? target.endIndex)]),
                                     rawQuery: query.map { String(target[target.index(after: $0)...]) }, body: [])
        let incoming = RequestPipeline.Incoming(
            request: request, headers: head.headers.map { ($0.name, $0.value) }, identity: connection.identity,
            remoteAddress: connection.address, remotePort: connection.port)
        let basis = pipeline.answerBasis(), audited = pipeline.audit.log.recordedEvents
        guard let (response, kept) = pipeline.processInline(incoming, memo: &authentication) else { return false }
        pipeline.metrics.requestCompleted(method: request.method, status: response.status, duration: ContinuousClock.now - started)
        let closing = !head.isKeepAlive
        let date = HTTPDate.current
        let (wire, bodyCount): (ByteBuffer, Int)
        if !closing, let kept {
            (wire, bodyCount) = kept.keepAliveWire(for: request, date: date, allocator: context.channel.allocator)
        } else {
            let rendered = RenderedResponse(response, for: request, closing: closing)
            (wire, bodyCount) = (rendered.wire(date: date.text, allocator: context.channel.allocator), rendered.bytes.count)
        }
        repeated = RepeatedAnswer(head, status: response.status, bodyCount: bodyCount, wire: wire, date: date, basis: basis, auditedBefore: audited,
                                  authentication: authentication, pipeline: pipeline)
        write(wire, closing: closing, context: context)
        return true
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

    /// The answer as one buffer through the `ResponseOutlet` (one TLS record, no second pass
    /// through NIO's encoder); flushed at the end of the read, or at once when closing.
    private func write(_ wire: ByteBuffer, closing: Bool, context: ChannelHandlerContext) {
        idle?.touch()
        if closing {
            self.closing = true
            let written = context.eventLoop.makePromise(of: Void.self)
            outlet.write(wire, promise: written)
            context.flush()
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            outlet.write(wire, promise: nil)
            wroteResponse = true
        }
    }

    private func scheduleIdleCheck(_ context: ChannelHandlerContext, at deadline: NIODeadline? = nil) {
        guard var timer = idle else { return }
        let check = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline ?? .now() + timer.timeout) { [self] in
            switch idle?.verdict(answering: passedOn > 0 && !readingRequest) {
            case .close: context.close(promise: nil)
            case .wait(let until): scheduleIdleCheck(context, at: until)
            case nil: break
            }
        }
        timer.pending(check)
        idle = timer
    }
}

extension Optional {
    /// The value, leaving nil behind.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
