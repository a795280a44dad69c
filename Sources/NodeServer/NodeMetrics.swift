import Metrics
import Prometheus
import Synchronization

/// The node's metrics, served as Prometheus text at `/_prometheus/metrics` (the path of the
/// community prometheus-exporter plugin that Elasticsearch/OpenSearch users scrape).
///
/// Metrics go through swift-metrics with an explicit factory per node rather than the global
/// `MetricsSystem`, so several nodes in one process (the tests) keep separate counts.
public final class NodeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
        repeatedAnswers = Counter(label: "certlab_http_repeated_answers_total", factory: factory)
    }

    private let repeatedAnswers: Metrics.Counter

    /// A keep-alive request answered by writing its connection's last answer again
    /// (`RepeatedAnswer`); counted besides `requestCompleted`, which counts every request.
    public func answerRepeated() {
        repeatedAnswers.increment()
    }

    /// One HTTP request answered with `status`, taking `duration`. The handles are looked up
    /// once per method and status: making them goes through the registry's lock and label
    /// sorting, which is measurable on every request of a keep-alive GET.
    public func requestCompleted(method: String, status: Int, duration: Duration) {
        let (counter, timer) = requestHandles.withLock { handles in
            let key = RequestKey(method: method, status: status)
            if let cached = handles[key] { return cached }
            let made = (Counter(label: "certlab_http_requests_total", dimensions: [("method", method), ("status", String(status))], factory: factory),
                        Timer(label: "certlab_http_request_duration_seconds", dimensions: [("method", method)], factory: factory))
            handles[key] = made
            return made
        }
        counter.increment()
        timer.recordNanoseconds(duration.nanoseconds)
    }

    private struct RequestKey: Hashable {
        var method: String
        var status: Int
    }

    private let requestHandles = Mutex<[RequestKey: (Metrics.Counter, Metrics.Timer)]>([:])

    /// A new TLS connection, with or without a client certificate.
    public func connectionAccepted(withClientCertificate: Bool) {
        Counter(label: "certlab_tls_connections_total", dimensions: [("client_cert", withClientCertificate ? "true" : "false")], factory: factory)
            .increment()
    }

    /// A request the security layer refused before it reached an index (`reason` is a short
    /// stable word: `unauthenticated`, `forbidden`, `revoked`, `bad_headers`, `not_initialized`).
    public func authenticationFailed(reason: String) {
        Counter(label: "certlab_auth_failures_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// Items of `_bulk` requests by outcome (`created`, `updated`, `deleted`, `failed`, ...).
    public func bulkItems(_ count: Int, result: String) {
        Counter(label: "certlab_bulk_items_total", dimensions: [("result", result)], factory: factory).increment(by: count)
    }

    /// The Prometheus text exposition of everything recorded so far.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}

private extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
