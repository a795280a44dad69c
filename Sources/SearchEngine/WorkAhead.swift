import Foundation

/// Work on positions `0..<count`, done on a second thread ahead of one consumer that takes the
/// results in increasing order. The consumers are writers that hold the engine's write lock: a
/// bulk (`BulkPreparation`) and a flush of `vals` rows (`PendingValueRows`).
///
/// The consumer never waits for work that has not started: asked for a position the worker has
/// not taken yet, it gets nil (and does that work itself) and the worker moves past it. It only
/// waits for a chunk the worker is in the middle of. The worker, for its part, waits when it is
/// `lookahead` positions ahead of the consumer, so what it holds stays bounded.
///
/// The consumer must call `finish()` when it is done (or gives up): until then a worker that
/// reached its lookahead keeps a global-queue thread waiting. That is acceptable because few run
/// at once: the node executes bulks on its blocking pool (a thread per core), and a flush holds
/// the engine's write lock.
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

/// The processors this process may run on, read once: work ahead only pays with a second one.
/// `activeProcessorCount` follows the cgroup's CPU quota (and reads its files on every call) but
/// not the CPU affinity, so a node started with `taskset -c 0` (as the benchmarks pin it) or in
/// a cpuset would still hand work to a thread that can only run on its own core.
let availableProcessors: Int = {
    let active = ProcessInfo.processInfo.activeProcessorCount
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }),
          let allowed = allowedCPUCount(line.dropFirst("Cpus_allowed_list:".count)) else { return active }
    return min(active, allowed)
}()

/// The number of CPUs in a kernel CPU list (`0-3,8,10-11`), or nil if it does not parse.
func allowedCPUCount(_ list: Substring) -> Int? {
    var count = 0
    for range in list.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",", omittingEmptySubsequences: false) {
        let bounds = range.split(separator: "-").map { Int($0) }
        switch bounds.count {
        case 1: guard bounds[0] != nil else { return nil }; count += 1
        case 2:
            guard let low = bounds[0], let high = bounds[1], low <= high else { return nil }
            count += high - low + 1
        default: return nil
        }
    }
    return count > 0 ? count : nil
}
