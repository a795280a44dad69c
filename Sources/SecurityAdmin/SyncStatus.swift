import Foundation
import JSONValue

/// The state `/health` reports for the config-sync service: healthy only after the first
/// successful apply (issue 6: compose healthchecks wait for the node to carry our config).
public final class SyncStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var appliedVersion: Int?
    private var lastApply: Date?
    private var lastError: String?

    public init() {}

    func applied(version: Int) {
        lock.withLock {
            appliedVersion = version
            lastApply = Date()
            lastError = nil
        }
    }

    func failed(_ message: String) {
        lock.withLock { lastError = message }
    }

    public var isHealthy: Bool { lock.withLock { appliedVersion != nil } }

    /// The health answer: 200 `{"status":"UP",...}` after the first apply, 503 `DOWN` before.
    public func health() -> (status: Int, body: JSON) {
        lock.withLock {
            let error = lastError.map(JSON.string) ?? .null
            guard let appliedVersion, let lastApply else {
                return (503, ["status": "DOWN", "message": "waiting for the first successful apply", "last_error": error])
            }
            return (200, ["status": "UP", "version": .int(Int64(appliedVersion)),
                          "last_apply": .string(ISO8601DateFormatter().string(from: lastApply)), "last_error": error])
        }
    }
}
