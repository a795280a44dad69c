import Foundation
import Testing

/// Which reliability cases run. `make test` runs the quick ones (each a few seconds at most);
/// `make reliability` sets `CERTLAB_RELIABILITY=full` and adds the slow ones (200 MB bodies,
/// 500 connections, timeouts that must elapse). A slow case left out is reported as skipped
/// with the reason, never silently dropped.
enum ReliabilityLevel {
    static let full = ProcessInfo.processInfo.environment["CERTLAB_RELIABILITY"] == "full"
}

extension Trait where Self == ConditionTrait {
    /// Marks a slow case: skipped, visibly, unless `CERTLAB_RELIABILITY=full`.
    static var slowReliabilityCase: Self {
        .enabled(if: ReliabilityLevel.full, "slow reliability case: run `make reliability` (CERTLAB_RELIABILITY=full)")
    }
}

/// Waits for `condition` by polling every 20 ms, at most `timeout`; true when it held in time.
func eventually(within timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
