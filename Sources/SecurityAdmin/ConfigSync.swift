import Foundation
import JSONValue
import SecurityEngine

/// The lab's config-sync service (`security-admin serve`, issue 6): waits for the node, applies
/// the configuration directory with the admin certificate and, when watching, re-applies after
/// every edit. An invalid edit is logged with its location and not sent, so the node keeps the
/// last good configuration; each apply logs one line with the changed entries per type.
public struct ConfigSync: Sendable {
    public var directory: String
    public var target: AdminTarget
    public var status: SyncStatus
    public var log: @Sendable (String) -> Void
    /// How often the directory is polled; a change is applied one quiet poll later.
    public var pollInterval: Duration = .milliseconds(300)
    /// Upper bound of the exponential backoff while the node is not reachable.
    public var maxBackoff: Duration = .seconds(5)

    public init(directory: String, target: AdminTarget, status: SyncStatus, log: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.target = target
        self.status = status
        self.log = log
    }

    /// Applies once and, with `watch`, keeps re-applying until the task is cancelled. Returns
    /// whether the last apply succeeded (the exit status of a one-shot run).
    public func run(watch: Bool) async throws(AdminError) -> Bool {
        let connection = try target.connection()
        let result = await loop(connection, watch: watch)
        await connection.shutdown()
        if case .failure(let error) = result { throw error }
        return (try? result.get()) ?? false
    }

    private func loop(_ connection: NodeConnection, watch: Bool) async -> Result<Bool, AdminError> {
        let watcher = DirectoryWatcher(directory: directory, interval: pollInterval)
        do {
            var info = try await waitForNode(connection)
            var stamps = watcher.snapshot()
            var succeeded = try await applyRetrying(connection, &info)
            guard watch else { return .success(succeeded) }
            log("watching \(directory) for changes")
            while !Task.isCancelled {
                stamps = try await watcher.nextChange(after: stamps)
                log("change detected in \(directory)")
                succeeded = try await applyRetrying(connection, &info)
            }
            return .success(succeeded)
        } catch let error as AdminError {
            return .failure(error)
        } catch {
            return .success(status.isHealthy)
        }
    }

    /// Retries with exponential backoff until the node answers `GET /` and `authinfo`.
    func waitForNode(_ connection: NodeConnection) async throws -> NodeConnection.NodeInfo {
        var delay = Duration.milliseconds(250)
        while true {
            let attempt = await Self.attempt { () throws(AdminError) in try await connection.connect() }
            switch attempt {
            case .success(let info):
                guard let principal = info.principal else {
                    throw AdminError.notAdmin(message: "the node did not accept a client certificate", principal: nil,
                                              settingsPrefix: info.flavor.settingsPrefix)
                }
                log("connected to \(connection.baseURL) as \(principal)")
                return info
            case .failure(.unreachable(_, let reason)):
                log("waiting for node at \(connection.baseURL): \(reason); retrying in \(Self.seconds(delay))")
            case .failure(.node(let status, let message)):
                log("waiting for node at \(connection.baseURL): HTTP \(status) \(message); retrying in \(Self.seconds(delay))")
            case .failure(let error):
                throw error
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, maxBackoff)
        }
    }

    /// Runs `body` and returns its outcome as a value.
    static func attempt<T>(_ body: () async throws(AdminError) -> T) async -> Result<T, AdminError> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// Applies; when the node went away meanwhile, waits for it and tries again.
    private func applyRetrying(_ connection: NodeConnection, _ info: inout NodeConnection.NodeInfo) async throws -> Bool {
        while true {
            let current = info
            switch await Self.attempt({ () throws(AdminError) in try await apply(connection, current) }) {
            case .success:
                return true
            case .failure(.unreachable(_, let reason)):
                log("apply failed: node unreachable (\(reason))")
                status.failed(reason)
                info = try await waitForNode(connection)
            case .failure(.invalidConfig(_, let detail)):
                log("invalid configuration, not applied; the node keeps the last good configuration: \(detail)")
                status.failed(detail)
                return false
            case .failure(let error):
                log("apply failed: \(error.description)")
                status.failed(error.description)
                if case .notAdmin = error { throw error }
                return false
            }
        }
    }

    /// Reads and validates the directory, then replaces all its types in one request.
    func apply(_ connection: NodeConnection, _ info: NodeConnection.NodeInfo) async throws(AdminError) {
        let source = try ConfigSource(directory: directory)
        try source.validate(flavor: info.flavor)
        let before = try await connection.retrieve(info)
        let version = try await connection.upload(source, info: info, expectedVersion: before.version)
        let local = Dictionary(uniqueKeysWithValues: source.files.map { ($0.type, $0.document.root) })
        let diff = ConfigDiff(local: local, remote: before.documents)
        status.applied(version: version)
        log("applied \(source.files.count) types from \(directory) as version \(version): \(diff.summary)")
    }

    static func seconds(_ duration: Duration) -> String {
        let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return String(format: "%.2gs", Double(millis) / 1000)
    }
}
