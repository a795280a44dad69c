import NIOCore

/// `http.read_timeout` for one connection: it is closed once nothing has been read for the
/// timeout while no request is waiting for its response — the rule of Hummingbird's
/// `HTTPConnectionStateHandler`, which the node cannot use because point reads answered by
/// `InlineRequestHandler` never reach it (it would close a busy keep-alive connection).
///
/// A request whose head has been read but not its end still times out (slowloris: a body that
/// trickles in, or never comes), as Elasticsearch's read timeout does; a request read in full is
/// never cut off while it is being answered. Driven by the handler on the event loop.
struct ConnectionIdleTimer {
    let timeout: TimeAmount
    private var lastActivity = NIODeadline.now()
    private var scheduled: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// Something was read or a response completed.
    mutating func touch() {
        lastActivity = .now()
    }

    /// What to do when the timer fires: close, or wait until `deadline` and look again.
    enum Verdict {
        case close
        case wait(until: NIODeadline)
    }

    func verdict(answering: Bool) -> Verdict {
        let deadline = lastActivity + timeout
        if answering { return .wait(until: .now() + timeout) }
        return deadline <= .now() ? .close : .wait(until: deadline)
    }

    /// The check now pending (the previous one, if any, has fired or is cancelled).
    mutating func pending(_ check: Scheduled<Void>) {
        scheduled = check
    }

    mutating func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }
}
