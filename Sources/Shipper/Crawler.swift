import Foundation
import Logging

/// Finds files matching the inputs' globs and reads them into batches (Filebeat's crawler:
/// prospectors + harvesters, reference §3.3, §3.4).
///
/// - Identity is device + inode: a renamed (rotated) file keeps its harvester and offset; a new
///   file at the old path starts at 0 under its own identity.
/// - A file shorter than what was read was truncated: a new generation, read from 0.
/// - Harvesters close after `close_inactive` without a new line, or at end of a deleted file;
///   the next scan reopens a closed file that grew, at the offset already read.
final class Crawler {
    private let inputs: [InputConfig]
    private let registry: Registry
    private let encoder: EventEncoder
    private let metrics: ShipperMetrics
    private let logger: Logger
    private var harvesters: [FileKey: Harvester] = [:]
    private var order: [FileKey] = []
    private var cursor = 0
    /// Where closed harvesters stopped reading (may be ahead of the acknowledged offset).
    private var readOffsets: [FileKey: FileProgress] = [:]
    private var nextScan: [ContinuousClock.Instant]

    init(inputs: [InputConfig], registry: Registry, encoder: EventEncoder, metrics: ShipperMetrics, logger: Logger) {
        self.inputs = inputs
        self.registry = registry
        self.encoder = encoder
        self.metrics = metrics
        self.logger = logger
        self.nextScan = inputs.map { _ in ContinuousClock.now }
    }

    var openHarvesters: Int { harvesters.count }

    /// Re-evaluates the globs of every input whose `scan_frequency` has elapsed.
    func scanIfDue(now: ContinuousClock.Instant = .now) {
        var seen: Set<FileKey> = []
        var scannedAll = true
        for (index, input) in inputs.enumerated() where input.enabled {
            guard now >= nextScan[index] else {
                scannedAll = false
                continue
            }
            nextScan[index] = now + input.scanFrequency
            for pattern in input.paths {
                for path in Glob.expand(pattern) {
                    guard let status = FileStatus.of(path: path), status.isRegular else { continue }
                    seen.insert(status.key)
                    consider(path, status, inputIndex: index, input: input)
                }
            }
        }
        if scannedAll { cleanRemoved(seen: seen) }
        metrics.update { $0.openHarvesters = harvesters.count }
    }

    private func consider(_ path: String, _ status: FileStatus, inputIndex: Int, input: InputConfig) {
        let key = status.key
        if let harvester = harvesters[key] {
            if harvester.path != path {
                logger.info("File was renamed, harvester keeps reading it", metadata: ["from": "\(harvester.path)", "to": "\(path)"])
                harvester.renamed(to: path)
                registry.updateSource(key, path)
            }
            return
        }
        let tooOld = input.ignoreOlder.map { Date().timeIntervalSince(status.modified) > Double($0.components.seconds) } ?? false
        var state: FileState
        if let known = registry.states[key] {
            state = known
            if let read = readOffsets[key], read.generation == state.generation, read.offset > state.offset { state.offset = read.offset }
            if status.size < state.offset {
                logger.info("File was truncated. Begin reading file from offset 0.", metadata: ["path": "\(path)"])
                state = registry.startGeneration(key, source: path)
            } else if status.size == state.offset || tooOld {
                return
            }
            registry.updateSource(key, path)
        } else if tooOld {
            // Filebeat marks an old file as read to its end: only lines written later are shipped.
            registry.startGeneration(key, source: path, offset: status.size)
            return
        } else {
            state = registry.startGeneration(key, source: path)
        }
        guard let harvester = Harvester(path: path, key: key, inputIndex: inputIndex, state: state) else {
            logger.warning("Cannot open file for harvesting", metadata: ["path": "\(path)"])
            return
        }
        logger.info("Harvester started for file", metadata: ["path": "\(path)", "offset": "\(state.offset)"])
        harvesters[key] = harvester
        order.append(key)
    }

    /// Forgets registry states of files that are gone from disk and fully read (`clean_removed`).
    private func cleanRemoved(seen: Set<FileKey>) {
        for (key, state) in registry.states where !seen.contains(key) && harvesters[key] == nil {
            if FileStatus.of(path: state.source)?.key == key { continue }
            let read = readOffsets[key]
            if read == nil || (read!.generation == state.generation && read!.offset <= state.offset) {
                registry.remove(key)
                readOffsets[key] = nil
            }
        }
    }

    /// Reads lines from the open harvesters (round robin) into `batch` until it holds
    /// `limit` events or every harvester is at its end.
    func fill(_ batch: inout Batch, limit: Int, now: ContinuousClock.Instant = .now) {
        var idle = 0
        let clock = Int64(Date().timeIntervalSince1970 * 1000)
        while batch.events.count < limit && !order.isEmpty && idle < order.count {
            cursor %= order.count
            let key = order[cursor]
            guard let harvester = harvesters[key] else {
                order.remove(at: cursor)
                continue
            }
            let input = inputs[harvester.inputIndex]
            let filters = !input.includeLines.isEmpty || !input.excludeLines.isEmpty
            var produced = false
            var filtered = 0
            loop: while batch.events.count < limit {
                let outcome = harvester.nextLine { line, offset in
                    if filters && !Self.keep(line, input) {
                        filtered += 1
                        return
                    }
                    encoder.append(line: line, offset: offset, from: harvester, millisecondsSinceEpoch: clock, to: &batch)
                }
                switch outcome {
                case .line:
                    produced = true
                    batch.progress[key] = FileProgress(key: key, generation: harvester.generation, offset: harvester.offset)
                case .truncated:
                    logger.info("File was truncated. Begin reading file from offset 0.", metadata: ["path": "\(harvester.path)"])
                    harvester.restart(generation: registry.startGeneration(key, source: harvester.path).generation)
                case .endOfFile:
                    closeIfDone(harvester, input: input, now: now)
                    break loop
                }
            }
            if filtered > 0 { metrics.update { $0.linesFiltered += filtered } }
            idle = produced ? 0 : idle + 1
            if harvesters[key] != nil { cursor += 1 }
        }
        let published = batch.events.count
        metrics.update {
            $0.openHarvesters = harvesters.count
            $0.published += published
        }
    }

    /// `include_lines` then `exclude_lines`, as Filebeat applies them.
    private static func keep(_ line: UnsafeBufferPointer<UInt8>, _ input: InputConfig) -> Bool {
        let text = String(decoding: line, as: UTF8.self)
        if !input.includeLines.isEmpty && !input.includeLines.contains(where: { $0.matches(text) }) { return false }
        return !input.excludeLines.contains { $0.matches(text) }
    }

    private func closeIfDone(_ harvester: Harvester, input: InputConfig, now: ContinuousClock.Instant) {
        let inactive = now - harvester.lastActivity >= input.closeInactive
        guard inactive || harvester.isRemoved else { return }
        logger.info(inactive ? "Closing harvester because close_inactive was reached" : "Closing harvester because the file was removed",
                    metadata: ["path": "\(harvester.path)"])
        readOffsets[harvester.key] = FileProgress(key: harvester.key, generation: harvester.generation, offset: harvester.offset)
        harvesters[harvester.key] = nil
        order.removeAll { $0 == harvester.key }
    }
}
