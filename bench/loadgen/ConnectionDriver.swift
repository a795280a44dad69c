import Histogram
import NIOCore
import NIOPosix
import NIOSSL

/// Keeps one client connection busy until the deadline: sends a request, records the response's
/// status and latency, sends the next (keep-alive) or reconnects (`reconnect`, one TLS
/// handshake per request). With several `requests`, they are sent in turn.
final class ConnectionDriver: @unchecked Sendable {
    let group: any EventLoopGroup
    let host: String
    let port: Int
    let tls: NIOSSLContext?
    let requests: [RequestTemplate]
    let deadline: NIODeadline
    let reconnect: Bool
    private let eventLoop: any EventLoop
    private var result = ConnectionResult()
    private var sent = 0
    private var finished: EventLoopPromise<ConnectionResult>?

    init(group: any EventLoopGroup, host: String, port: Int, tls: NIOSSLContext?, requests: [RequestTemplate], deadline: NIODeadline, reconnect: Bool) {
        self.group = group
        self.host = host
        self.port = port
        self.tls = tls
        self.requests = requests
        self.deadline = deadline
        self.reconnect = reconnect
        self.eventLoop = group.next()
    }

    /// Runs until the deadline; the tallies.
    func start() -> EventLoopFuture<ConnectionResult> {
        let promise = eventLoop.makePromise(of: ConnectionResult.self)
        eventLoop.execute {
            self.finished = promise
            self.connect()
        }
        return promise.futureResult
    }

    private func connect() {
        guard NIODeadline.now() < deadline else { return finish() }
        let handler = ResponseHandler(driver: self)
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            // One read per readiness event, as wrk does: a response fits one read, and a second
            // read would only return EAGAIN (a wasted syscall per request).
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelInitializer { [tls, host] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: host == "127.0.0.1" ? nil : host))
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: host, port: port)
            .whenComplete { outcome in
                if case .failure = outcome {
                    self.result.errors += 1
                    self.connect()
                }
            }
    }

    fileprivate func send(on context: ChannelHandlerContext) -> NIODeadline? {
        let now = NIODeadline.now()
        guard now < deadline else { return nil }
        let request = requests.count == 1 ? requests[0] : requests[sent % requests.count]
        sent &+= 1
        context.writeAndFlush(NIOAny(request.bytes), promise: nil)
        return now
    }

    fileprivate func completed(status: UInt, sentAt: NIODeadline, context: ChannelHandlerContext) -> NIODeadline? {
        let micros = UInt64(max(0, (NIODeadline.now() - sentAt).nanoseconds / 1000))
        _ = result.latencies.record(micros)
        result.statuses[status, default: 0] += 1
        if reconnect {
            context.close(promise: nil)
            return nil
        }
        return send(on: context)
    }

    fileprivate func connectionEnded(failed: Bool) {
        // A connection torn down after the deadline (TLS close_notify races, peers closing idle
        // connections) is the end of the run, not a failed request.
        if failed, NIODeadline.now() < deadline { result.errors += 1 }
        if NIODeadline.now() < deadline, reconnect || failed {
            connect()
        } else {
            finish()
        }
    }

    private func finish() {
        finished?.succeed(result)
        finished = nil
    }
}

/// Writes the pre-encoded request and finds the responses in the raw bytes (`ResponseScanner`),
/// handing each to the driver.
final class ResponseHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let driver: ConnectionDriver
    private var sentAt: NIODeadline?
    private var scanner = ResponseScanner()
    private var failed = false

    init(driver: ConnectionDriver) {
        self.driver = driver
    }

    func channelActive(context: ChannelHandlerContext) {
        sentAt = driver.send(on: context)
        if sentAt == nil { context.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        scanner.append(&bytes)
        while true {
            switch scanner.next() {
            case .needMore:
                return
            case .malformed:
                failed = true
                context.close(promise: nil)
                return
            case .response(let status):
                guard let sent = sentAt else { return }
                sentAt = driver.completed(status: status, sentAt: sent, context: context)
                if sentAt == nil {
                    if context.channel.isActive { context.close(promise: nil) }
                    return
                }
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failed = true
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let sent = sentAt, let status = scanner.closed() {
            _ = driver.completed(status: status, sentAt: sent, context: context)
            sentAt = nil
        }
        driver.connectionEnded(failed: failed || sentAt != nil)
        context.fireChannelInactive()
    }
}
