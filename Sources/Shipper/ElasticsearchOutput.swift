import Foundation
import JSONValue
import LabClient
import Logging
import Synchronization

/// The `output.elasticsearch` client (reference §3.5–§3.7): `GET /` on connect, then
/// `POST _bulk` with `create` actions, per-item handling, 413 splitting and retries that never
/// give up (Filebeat ignores `max_retries`). One request at a time per output.
public final class ElasticsearchOutput: Sendable {
    /// What `GET /` reported.
    public struct NodeInfo: Sendable, Equatable {
        public var version: String
        public var majorVersion: Int { Int(version.prefix { $0.isNumber }) ?? 0 }
    }

    let config: ElasticsearchOutputConfig
    private let client: LabClient
    private let metrics: ShipperMetrics
    private let logger: Logger
    private let headers: [(String, String)]
    private let deadLetter: DeadLetterFile?
    private let host = Mutex(0)

    public init(config: ElasticsearchOutputConfig, agent: AgentInfo, metrics: ShipperMetrics, logger: Logger) throws(ShipperError) {
        self.config = config
        self.metrics = metrics
        self.logger = logger
        do {
            client = try LabClient(tls: config.tls, timeout: config.timeout)
        } catch {
            throw ShipperError("output.elasticsearch.ssl: \(error)")
        }
        var headers: [(String, String)] = [("Accept", "application/json"), ("User-Agent", agent.userAgent),
                                           ("X-Elastic-Product-Origin", "beats")]
        if let username = config.username, let password = config.password {
            headers.append(("Authorization", "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()))
        }
        self.headers = headers + config.headers
        deadLetter = config.deadLetterFile.map(DeadLetterFile.init)
        if config.tls?.verification == VerificationMode.none { logger.warning("SSL/TLS verifications disabled.") }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    private var baseURL: String { host.withLock { config.hosts[$0 % config.hosts.count] } }

    /// After a connection failure the next host is tried (Filebeat balances over `hosts`).
    private func rotateHost() { host.withLock { $0 += 1 } }

    /// One request to the current host with the output's headers, no retry.
    func sendOnce(_ method: String, _ path: String) async throws(LabClientError) -> LabResponse {
        try await client.send(method, baseURL + path, headers: headers)
    }

    /// The client's pre-flight handshake checks (fingerprint trust, strict SANs) for the
    /// current host; `test output` reports them.
    func preflight() async throws(LabClientError) -> LabClient.Preflight? {
        try await client.preflight(url: baseURL)
    }

    /// `GET /` until it answers 2xx with `version.number`, backing off in between; nil if
    /// stopped first. Logs the node's version as Filebeat does.
    public func connect(stop: StopSignal) async -> NodeInfo? {
        var backoff = Backoff(initial: config.backoffInit, maximum: config.backoffMax)
        var preflightDone = false
        while !stop.isStopped {
            let url = baseURL
            do {
                if !preflightDone {
                    if let preflight = try await client.preflight(url: url), config.tls?.caTrustedFingerprint != nil {
                        if let ca = preflight.trustedByFingerprint {
                            logger.info("CA certificate \(ca.principal) matches ssl.ca_trusted_fingerprint; trusting it", metadata: ["url": "\(url)"])
                        } else {
                            logger.warning("No CA certificate in the chain presented by \(url) matches ssl.ca_trusted_fingerprint")
                        }
                    }
                    preflightDone = true
                }
                let response = try await client.send("GET", url + "/", headers: headers)
                if (200 ..< 300).contains(response.status), let json = try? JSON(parsing: response.body),
                   let version = json["version"]?["number"]?.stringValue {
                    logger.info("Attempting to connect to Elasticsearch version \(version)", metadata: ["url": "\(url)"])
                    return NodeInfo(version: version)
                }
                logger.error("Failed to connect: GET / answered \(response.status)", metadata: ["url": "\(url)", "body": "\(response.bodyText.prefix(300))"])
            } catch {
                logger.error("Failed to connect to backoff(elasticsearch(\(url))): \(error)")
                rotateHost()
            }
            await stop.sleep(backoff.next())
        }
        return nil
    }

    /// Sends `batch` until every event is acked, a duplicate, or dropped as non-indexable.
    /// Returns false only if stopped first (the caller must not advance offsets then).
    func publish(_ batch: Batch, stop: StopSignal) async -> Bool {
        guard !batch.events.isEmpty else { return true }
        metrics.update { $0.batches += 1 }
        var work: [ArraySlice<Int>] = [ArraySlice(batch.events.indices)]
        var backoff = Backoff(initial: config.backoffInit, maximum: config.backoffMax)
        while let chunk = work.first {
            if stop.isStopped { return false }
            let url = baseURL + "/_bulk?filter_path=errors,items.*.error,items.*.status"
            let response: LabResponse
            do {
                response = try await client.send("POST", url, headers: headers + [("Content-Type", "application/json; charset=UTF-8")],
                                                  body: batch.body(for: chunk))
            } catch {
                logger.error("Failed to perform any bulk index operations: \(error)", metadata: ["url": "\(url)"])
                metrics.update { $0.failedRequests += 1; $0.retried += chunk.count }
                rotateHost()
                await stop.sleep(backoff.next())
                continue
            }
            if response.status == 413 {
                work.removeFirst()
                if chunk.count == 1 {
                    logger.error("Dropping an event that is too large for the node even alone (413); raise http.max_content_length or lower bulk_max_size")
                    metrics.update { $0.dropped += 1 }
                } else {
                    let middle = chunk.startIndex + chunk.count / 2
                    work.insert(contentsOf: [chunk[..<middle], chunk[middle...]], at: 0)
                    logger.warning("The node rejected a bulk of \(chunk.count) events as too large (413); splitting it")
                }
                continue
            }
            guard (200 ..< 300).contains(response.status),
                  let outcomes = BulkResponse.outcomes(body: response.body, count: chunk.count) else {
                logger.error("Bulk request failed with status \(response.status), retrying the whole batch",
                             metadata: ["body": "\(response.bodyText.prefix(300))"])
                metrics.update { $0.failedRequests += 1; $0.retried += chunk.count }
                await stop.sleep(backoff.next())
                continue
            }
            var retry: [Int] = []
            var counts = ShipperMetrics.Snapshot()
            for (index, outcome) in zip(chunk, outcomes) {
                switch outcome {
                case .acked: counts.acked += 1
                case .duplicate: counts.duplicates += 1
                case .retry(let status):
                    if status == 429 { counts.tooMany += 1 }
                    retry.append(index)
                case .nonIndexable(let status, let reason):
                    counts.dropped += 1
                    logger.warning("Cannot index event (status=\(status)): \(reason)", metadata: ["dead_letter": "\(deadLetter != nil)"])
                    deadLetter?.record(document: batch.document(index), status: status, reason: reason, logger: logger)
                }
            }
            counts.retried = retry.count
            metrics.update {
                $0.acked += counts.acked
                $0.duplicates += counts.duplicates
                $0.tooMany += counts.tooMany
                $0.dropped += counts.dropped
                $0.retried += counts.retried
            }
            work.removeFirst()
            if retry.isEmpty {
                backoff.reset()
            } else {
                work.insert(ArraySlice(retry), at: 0)
                await stop.sleep(backoff.next())
            }
        }
        return true
    }
}
