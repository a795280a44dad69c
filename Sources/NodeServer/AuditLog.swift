import Foundation
import JSONValue
import Logging
import NIOPosix
import SearchEngine
import SecurityEngine
import Synchronization

/// Where audit events go (`audit.type`, reference §9):
/// - `internal_elasticsearch` / `internal_opensearch`: the daily index `security-auditlog-YYYY.MM.dd`
///   on this node, searchable like any index (the plugin's default for demo installs);
/// - `log4j`: one JSON object per line in a file (the plugin writes them through a log4j logger;
///   a file is what that logger ends up in);
/// - `debug`: the same lines on the node's log.
///
/// Events are queued and written in batches by one background task, so a request never waits for
/// audit I/O; `flush()` (called at shutdown and by tests) drains the queue.
public final class AuditLog: Sendable {
    public enum Sink: Sendable, Equatable {
        case internalIndex
        case file(String)
        case debug
        case none
    }

    private let sink: Sink
    private let engine: SearchEngine?
    private let logger: Logger
    private let stream: AsyncStream<Entry>
    private let continuation: AsyncStream<Entry>.Continuation

    private enum Entry: Sendable {
        case event(JSON, Date)
        case flush(CheckedContinuation<Void, Never>)
        /// Written once a second by `AuditService` so that a quiet node does not sit on events.
        case tick
    }

    public init(sink: Sink, engine: SearchEngine?, logger: Logger) {
        self.sink = sink
        self.engine = engine
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Entry.self, bufferingPolicy: .bufferingNewest(100_000))
    }

    /// Queues one event; never blocks.
    public func record(_ event: AuditEvent) {
        recorded.add(1, ordering: .relaxed)
        guard sink != .none else { return }
        continuation.yield(.event(event.json(), event.timestamp))
    }

    /// Events recorded so far (whatever the sink): a request that left it unchanged recorded
    /// none, which is what lets `RepeatedAnswer` keep its answer.
    public var recordedEvents: UInt64 { recorded.load(ordering: .relaxed) }

    private let recorded = Atomic<UInt64>(0)

    /// Waits until every event recorded before this call is written.
    public func flush() async {
        guard sink != .none else { return }
        await withCheckedContinuation { continuation.yield(.flush($0)) }
    }

    /// The writer loop; runs until `finish()`.
    public func run() async {
        var pending: [(JSON, Date)] = []
        for await entry in stream {
            switch entry {
            case .event(let json, let date):
                pending.append((json, date))
                if pending.count >= 500 { await drain(&pending) }
            case .flush(let waiter):
                await drain(&pending)
                waiter.resume()
            case .tick:
                await drain(&pending)
            }
        }
        await drain(&pending)
    }

    /// Writes the batch on the blocking thread pool: async code may run on an event loop
    /// (search-node installs NIO as the concurrency executor), which file and SQLite I/O must
    /// not stall.
    private func drain(_ pending: inout [(JSON, Date)]) async {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        do {
            try await NIOThreadPool.singleton.runIfActive { self.write(batch) }
        } catch {
            write(batch)
        }
    }

    /// Asks the writer to write what it holds (see `Entry.tick`).
    func tick() {
        continuation.yield(.tick)
    }

    /// Ends the writer loop after the queued events are written.
    public func finish() {
        continuation.finish()
    }

    private func write(_ pending: [(JSON, Date)]) {
        switch sink {
        case .none:
            return
        case .debug:
            for (json, _) in pending { logger.info("audit \(json.serialized())") }
        case .file(let path):
            var bytes: [UInt8] = []
            for (json, _) in pending {
                json.write(to: &bytes)
                bytes.append(0x0A)
            }
            appendToFile(path, bytes)
        case .internalIndex:
            guard let engine else { return }
            var ndjson: [UInt8] = []
            for (json, date) in pending {
                let action: JSON = ["index": ["_index": .string(Self.indexName(for: date))]]
                action.write(to: &ndjson)
                ndjson.append(0x0A)
                json.write(to: &ndjson)
                ndjson.append(0x0A)
            }
            do {
                let request = try BulkRequest.parse(ndjson, defaultIndex: nil)
                _ = try engine.bulk(request)
            } catch {
                logger.error("audit events could not be indexed", metadata: ["error": "\(error)", "events": "\(pending.count)"])
            }
        }
    }

    private func appendToFile(_ path: String, _ bytes: [UInt8]) {
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            logger.error("audit log file cannot be opened", metadata: ["path": "\(path)"])
            return
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(bytes))
        } catch {
            logger.error("audit log write failed", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    private static let dayStyle = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()

    /// `security-auditlog-YYYY.MM.dd` in UTC, the plugin's default index pattern.
    static func indexName(for date: Date) -> String {
        "security-auditlog-" + date.formatted(dayStyle).replacingOccurrences(of: "-", with: ".")
    }
}
