import Synchronization

/// A one-way "stop now" flag shared by the run loop, the output's retry loops and the signal
/// handler (SIGTERM → flush, persist, exit 0). Sleeps poll it so that a 60 s backoff does not
/// delay shutdown.
public final class StopSignal: Sendable {
    private let stopped = Mutex(false)

    public init() {}

    public var isStopped: Bool { stopped.withLock { $0 } }

    public func stop() { stopped.withLock { $0 = true } }

    /// Sleeps for `duration` or until stopped, whichever is first.
    func sleep(_ duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while !isStopped && ContinuousClock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(50), deadline - ContinuousClock.now))
        }
    }
}
