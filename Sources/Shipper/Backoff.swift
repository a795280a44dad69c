/// Exponential backoff `backoff.init` → `backoff.max`, reset on success (reference §3.1).
struct Backoff {
    let initial: Duration
    let maximum: Duration
    private(set) var current: Duration

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        current = initial
    }

    /// The delay to wait now; the next one doubles.
    mutating func next() -> Duration {
        let delay = current
        current = min(current * 2, maximum)
        return delay
    }

    mutating func reset() { current = initial }
}
