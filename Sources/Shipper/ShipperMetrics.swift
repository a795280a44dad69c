import Synchronization

/// Counters behind the 30-second metrics line (Filebeat's "Non-zero metrics in the last 30s",
/// issue 7). Shared by the crawler and the output, hence a mutex.
public final class ShipperMetrics: Sendable {
    public struct Snapshot: Sendable, Equatable {
        /// Events handed to the output (filtered lines not included).
        public var published = 0
        /// Items the node indexed (2xx).
        public var acked = 0
        /// Items the node already had (409 on `create`): a replay, counted as delivered.
        public var duplicates = 0
        /// Items rejected with 429, re-sent.
        public var tooMany = 0
        /// Items re-sent (429, 5xx, or the whole request after a failure).
        public var retried = 0
        /// Non-indexable items (4xx) dropped or dead-lettered.
        public var dropped = 0
        /// Requests that failed as a whole (connection, timeout, non-2xx).
        public var failedRequests = 0
        public var batches = 0
        public var linesFiltered = 0
        public var openHarvesters = 0
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) { state.withLock { body(&$0) } }

    /// The metrics line: counters as differences since `previous`, gauges as they are, only
    /// the non-zero ones, in the nesting Filebeat's monitoring line uses.
    public static func line(current: Snapshot, previous: Snapshot, interval: Duration = .seconds(30)) -> String {
        let counters: [(String, Int)] = [
            ("filebeat.events.added", current.published - previous.published),
            ("filebeat.events.filtered", current.linesFiltered - previous.linesFiltered),
            ("filebeat.harvester.open_files", current.openHarvesters),
            ("libbeat.output.events.acked", current.acked + current.duplicates - previous.acked - previous.duplicates),
            ("libbeat.output.events.batches", current.batches - previous.batches),
            ("libbeat.output.events.dropped", current.dropped - previous.dropped),
            ("libbeat.output.events.duplicates", current.duplicates - previous.duplicates),
            ("libbeat.output.events.failed", current.failedRequests - previous.failedRequests),
            ("libbeat.output.events.toomany", current.tooMany - previous.tooMany),
            ("libbeat.pipeline.events.retry", current.retried - previous.retried),
        ]
        let parts = counters.filter { $0.1 != 0 }.map { "\"\($0.0)\":\($0.1)" }
        let milliseconds = interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000
        let span = milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
        return "Non-zero metrics in the last \(span): {" + parts.joined(separator: ",") + "}"
    }
}
