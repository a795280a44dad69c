import Foundation
import Logging

/// The whole shipper: crawler → batches → output → registry (issue 7).
///
/// Delivery: a batch's offsets reach the registry only after every event in it was acked,
/// found to be a duplicate (409) or dropped as non-indexable. Event ids are deterministic
/// (`EventID`), so lines re-sent after a crash are 409s: each line is indexed exactly once.
/// Up to `worker` batches are in flight at once (at least one), and the next batch is read
/// while they are, so file reading overlaps the network.
public final class LogShipper {
    public let metrics = ShipperMetrics()
    private let config: ShipperConfig
    private let registry: Registry
    private let output: ElasticsearchOutput
    private let encoder: EventEncoder
    private let crawler: Crawler
    private let logger: Logger
    private let metricsInterval: Duration
    /// How long to wait when every file is at its end before looking again.
    private let idleWait: Duration

    public init(config: ShipperConfig, dataPath: String, agent: AgentInfo? = nil, logger: Logger,
                metricsInterval: Duration = .seconds(30), idleWait: Duration = .milliseconds(100)) throws(ShipperError) {
        self.config = config
        self.logger = logger
        self.metricsInterval = metricsInterval
        self.idleWait = idleWait
        let agent = agent ?? AgentInfo(name: config.name)
        registry = try Registry(dataPath: dataPath)
        output = try ElasticsearchOutput(config: config.output, agent: agent, metrics: metrics, logger: logger)
        encoder = EventEncoder(agent: agent, inputs: config.inputs, globalTags: config.tags,
                               index: try IndexPattern(config.output.index, agentName: agent.name, agentVersion: agent.version))
        crawler = Crawler(inputs: config.inputs, registry: registry, encoder: encoder, metrics: metrics, logger: logger)
    }

    /// Ships until `stop` is signalled, then finishes the request in flight, persists the
    /// registry and returns (SIGTERM → exit 0).
    public func run(stop: StopSignal) async throws(ShipperError) {
        for setting in config.unknownSettings {
            logger.warning("Ignoring setting this shipper does not support: \(setting)")
        }
        let result: Result<Void, ShipperError>
        do {
            try await ship(stop: stop)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        await output.shutdown()
        try result.get()
    }

    private func ship(stop: StopSignal) async throws(ShipperError) {
        let output = self.output
        guard let node = await output.connect(stop: stop) else { return try registry.flush(force: true) }
        encoder.includeDocType = node.majorVersion < 7
        let workers = config.output.workers
        var lastMetrics = ContinuousClock.now
        var previous = metrics.snapshot
        // Batches in flight, oldest first; acknowledged strictly in this order so that a file's
        // offset never passes lines of an earlier batch that is still being retried.
        var inFlight: [(delivered: Task<Bool, Never>, progress: [FileProgress])] = []
        var prepared: Batch?
        while !stop.isStopped {
            // One batch is read ahead while `workers` are in flight.
            if prepared == nil && inFlight.count <= workers { prepared = nextBatch() }
            if let batch = prepared, !batch.events.isEmpty, inFlight.count < workers {
                try registry.flush(interval: config.registryFlush)  // new generations must be on disk before their events leave
                inFlight.append((Task { await output.publish(batch, stop: stop) }, Array(batch.progress.values)))
                prepared = nil
                continue
            }
            if let batch = prepared, batch.events.isEmpty {
                prepared = nil
                if inFlight.isEmpty {
                    acknowledge(Array(batch.progress.values))
                    try registry.flush(interval: config.registryFlush)
                    await stop.sleep(idleWait)
                } else if !batch.progress.isEmpty {
                    inFlight.append((Task { true }, Array(batch.progress.values)))
                }
            }
            if let oldest = inFlight.first {
                guard await oldest.delivered.value else { break }
                inFlight.removeFirst()
                acknowledge(oldest.progress)
                try registry.flush(interval: config.registryFlush)
            }
            if ContinuousClock.now - lastMetrics >= metricsInterval {
                let current = metrics.snapshot
                logger.info("\(ShipperMetrics.line(current: current, previous: previous, interval: metricsInterval))")
                previous = current
                lastMetrics = .now
            }
        }
        // Stopping: requests already sent finish their current attempt; acked ones still count.
        for entry in inFlight {
            guard await entry.delivered.value else { break }
            acknowledge(entry.progress)
        }
        try registry.flush(force: true)
        logger.info("Shipper stopped; registry written", metadata: ["registry": "\(registry.file)"])
    }

    private func nextBatch() -> Batch {
        crawler.scanIfDue()
        var batch = Batch()
        crawler.fill(&batch, limit: config.output.bulkMaxSize)
        return batch
    }

    private func acknowledge(_ progress: [FileProgress]) {
        for entry in progress { registry.acknowledge(entry) }
    }
}
