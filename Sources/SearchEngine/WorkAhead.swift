import Foundation

/// Work on positions `0..<count`, done on a second thread ahead of one consumer that takes the
/// results in increasing order: the writer of a bulk (`BulkPreparation`) or of a flush of `vals`
/// rows (`PendingValueRows`), which holds the write lock while it waits for nothing else.
///
/// The consumer never waits for work that has not started: asked for a position the worker has
/// not taken yet, it gets nil (and does that work itself) and the worker moves past it. It only
/// waits for a chunk the worker is in the middle of. The worker, for its part, waits when it is
/// `lookahead` positions ahead of the consumer, so what it holds stays bounded.
final class WorkAhead<Output>: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Output?]
    /// Positions below `claimed` were taken by the worker or passed by the consumer.
    private var claimed = 0
    /// Positions below `published` have their result in `results`.
    private var published = 0
    /// Positions below `consumed` were asked for.
    private var consumed = 0

    /// Starts the worker on a global queue. `work` returns nil where it cannot decide.
    init(count: Int, chunkSize: Int, lookahead: Int, work: @escaping @Sendable (Int) -> Output?) {
        results = Array(repeating: nil, count: count)
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            run(count: count, chunkSize: chunkSize, lookahead: lookahead, work: work)
        }
    }

    /// The result at `position`, or nil if the worker did not make one. Positions must be asked
    /// in increasing order; each one at most once.
    func result(at position: Int) -> Output? {
        condition.lock()
        defer {
            consumed = position + 1
            condition.broadcast()
            condition.unlock()
        }
        if position >= claimed {
            claimed = position + 1
            return nil
        }
        while position >= published { condition.wait() }
        defer { results[position] = nil }
        return results[position]
    }

    /// Stops the worker: what it has not taken is never done.
    func finish() {
        condition.lock()
        claimed = .max
        condition.broadcast()
        condition.unlock()
    }

    private func run(count: Int, chunkSize: Int, lookahead: Int, work: (Int) -> Output?) {
        while true {
            condition.lock()
            while claimed < count && claimed >= consumed + lookahead { condition.wait() }
            let start = claimed
            guard start < count else { return condition.unlock() }
            let end = min(start + chunkSize, count)
            claimed = end
            condition.unlock()

            let chunk = (start..<end).map(work)

            condition.lock()
            results.replaceSubrange(start..<end, with: chunk)
            published = end
            condition.broadcast()
            condition.unlock()
        }
    }
}

/// The processors this process may use, read once (`activeProcessorCount` reads the cgroup's CPU
/// quota files on every call): work ahead only pays with a second one.
let availableProcessors = ProcessInfo.processInfo.activeProcessorCount
