import Foundation
import HummingbirdBcrypt

/// bcrypt verification for the internal users backend (reference §2.5), with the plugin's
/// authentication cache: a successful check is remembered for `cache.ttl_minutes` per
/// (user, hash, password), so repeated basic-auth requests do not pay cost-12 bcrypt (~230 ms)
/// each time (issue 4, swift-platform-notes "bcrypt").
final class PasswordVerifier: @unchecked Sendable {
    private struct Key: Hashable {
        var user: String
        var hash: String
        var password: String
    }

    private let ttl: TimeInterval
    private let lock = NSLock()
    private var verified: [Key: Date] = [:]

    init(ttlMinutes: Int) {
        ttl = TimeInterval(ttlMinutes * 60)
    }

    func verify(user: String, password: String, hash: String, now: Date) -> Bool {
        let key = Key(user: user, hash: hash, password: password)
        lock.lock()
        if let expiry = verified[key], expiry > now {
            lock.unlock()
            return true
        }
        lock.unlock()
        guard PasswordVerifier.bcryptMatches(password, hash: hash) else { return false }
        if ttl > 0 {
            lock.lock()
            if verified.count > 10_000 { verified.removeAll() }
            verified[key] = now.addingTimeInterval(ttl)
            lock.unlock()
        }
        return true
    }

    func invalidate() {
        lock.lock(); defer { lock.unlock() }
        verified.removeAll()
    }

    /// `$2y$` is the same algorithm as `$2b$` but HummingbirdBcrypt rejects the prefix
    /// (swift-platform-notes), so it is rewritten first.
    static func bcryptMatches(_ password: String, hash: String) -> Bool {
        var normalized = hash
        if normalized.hasPrefix("$2y$") { normalized = "$2b$" + normalized.dropFirst(4) }
        guard normalized.hasPrefix("$2a$") || normalized.hasPrefix("$2b$") else { return false }
        return Bcrypt.verify(password, hash: normalized)
    }

    /// A new hash at cost 12, as the REST API and `hash.sh` produce (reference §2.5).
    static func hash(_ password: String, cost: UInt8 = 12) -> String {
        Bcrypt.hash(password, cost: cost)
    }
}
