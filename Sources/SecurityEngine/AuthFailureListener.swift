import Foundation

/// Rate limiting of failed logins (reference §2.1 `auth_failure_listeners`, §2.3 step 1): after
/// `allowed_tries` failures within `time_window_seconds`, the client IP (type `ip`) or the user
/// name (type `username`) is blocked for `block_expiry_seconds`.
final class AuthFailureListener: @unchecked Sendable {
    let configuration: DynamicConfig.FailureListener
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    private var blockedUntil: [String: Date] = [:]

    init(_ configuration: DynamicConfig.FailureListener) {
        self.configuration = configuration
    }

    var isByAddress: Bool { configuration.type == "ip" }

    func isBlocked(_ key: String, now: Date) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard let until = blockedUntil[key] else { return false }
        if until > now { return true }
        blockedUntil[key] = nil
        return false
    }

    func recordFailure(_ key: String, now: Date) {
        if isByAddress, configuration.ignoreHosts.contains(where: { WildcardMatcher($0).matches(key) }) { return }
        lock.lock(); defer { lock.unlock() }
        let windowStart = now.addingTimeInterval(-Double(configuration.timeWindowSeconds))
        var recent = (failures[key] ?? []).filter { $0 > windowStart }
        recent.append(now)
        if recent.count >= configuration.allowedTries, blockedUntil.count < configuration.maxBlockedClients {
            blockedUntil[key] = now.addingTimeInterval(Double(configuration.blockExpirySeconds))
            failures[key] = nil
        } else if failures.count < configuration.maxTrackedClients || failures[key] != nil {
            failures[key] = recent
        }
    }
}
