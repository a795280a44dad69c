import Foundation
import JSONValue
#if canImport(Glibc)
import Glibc
#endif

/// The state of one harvested file: identity, the last offset the node acknowledged, and a
/// generation that changes when the file is truncated, so that event ids (`_id`, see
/// `EventID`) of new content never collide with those of the old.
public struct FileState: Sendable, Equatable {
    public var key: FileKey
    public var source: String
    public var generation: UInt64
    public var offset: UInt64
}

/// The shipper's registry (reference §3.4): one JSON file under `${path.data}/registry`,
/// replaced atomically (write temp, fsync, rename, fsync directory) so a crash leaves either the
/// old or the new state, never a torn one. Offsets advance only when a batch is acknowledged.
///
/// Deviation from Filebeat's `memlog` (append log + checkpoints): one small snapshot file is
/// simpler and, with deterministic `_id`s, a registry that lags after a crash only costs 409s.
public final class Registry {
    public let file: String
    public private(set) var states: [FileKey: FileState] = [:]
    /// A generation was created that is not on disk yet: events carrying it must not be sent
    /// before it is, or a crash would lose the id space of already indexed lines.
    private(set) var hasUnsavedGenerations = false
    private var dirty = false
    fileprivate func markDirty() { dirty = true }
    private var lastWrite = ContinuousClock.now

    /// Opens (or starts) the registry in `dataPath/registry`.
    public init(dataPath: String) throws(ShipperError) {
        let directory = dataPath + "/registry"
        file = directory + "/certlab-shipper.json"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ShipperError("cannot create the registry directory \(directory): \(error.localizedDescription)")
        }
        guard let data = FileManager.default.contents(atPath: file) else { return }
        do {
            let json = try JSON(parsing: Array(data))
            for entry in json["states"]?.arrayValue ?? [] {
                guard let device = entry["device"]?.intValue, let inode = entry["inode"]?.intValue,
                      let generation = entry["generation"]?.stringValue.flatMap({ UInt64($0, radix: 16) }),
                      let offset = entry["offset"]?.intValue, let source = entry["source"]?.stringValue else {
                    throw ShipperError("an entry lacks device, inode, generation, offset or source: \(entry)")
                }
                let key = FileKey(device: UInt64(device), inode: UInt64(inode))
                states[key] = FileState(key: key, source: source, generation: generation, offset: UInt64(offset))
            }
        } catch {
            throw ShipperError("registry \(file) is unreadable (\(error)); move it away to start over (lines would be re-sent as 409s)")
        }
    }

    /// Starts a new generation for `key` at offset 0: a file seen for the first time or truncated.
    @discardableResult
    func startGeneration(_ key: FileKey, source: String, offset: UInt64 = 0) -> FileState {
        var generation = UInt64.random(in: 1 ... UInt64.max)
        while generation == states[key]?.generation { generation = UInt64.random(in: 1 ... UInt64.max) }
        let state = FileState(key: key, source: source, generation: generation, offset: offset)
        states[key] = state
        hasUnsavedGenerations = true
        dirty = true
        return state
    }

    func updateSource(_ key: FileKey, _ source: String) {
        guard states[key]?.source != source, states[key] != nil else { return }
        states[key]?.source = source
        dirty = true
    }

    /// Records an acknowledged offset, ignoring acks for a generation that was replaced since.
    func acknowledge(_ progress: FileProgress) {
        guard let state = states[progress.key], state.generation == progress.generation, progress.offset > state.offset else { return }
        states[progress.key]?.offset = progress.offset
        dirty = true
    }

    /// Writes if there is something new and either `force` or `interval` has passed.
    func flush(force: Bool = false, interval: Duration = .seconds(1)) throws(ShipperError) {
        guard dirty, force || hasUnsavedGenerations || ContinuousClock.now - lastWrite >= interval else { return }
        try write()
    }

    private func write() throws(ShipperError) {
        let entries: [JSON] = states.values.sorted { $0.source < $1.source }.map { state in
            ["key": .string(state.key.description), "source": .string(state.source),
             "device": .int(Int64(bitPattern: state.key.device)), "inode": .int(Int64(bitPattern: state.key.inode)),
             "generation": .string(String(state.generation, radix: 16)), "offset": .int(Int64(state.offset))]
        }
        let document: JSON = ["version": "1", "states": .array(entries)]
        try AtomicFile.write(document.serializedBytes() + [0x0A], to: file, mode: 0o600)
        dirty = false
        hasUnsavedGenerations = false
        lastWrite = .now
    }
}

/// How far a batch moved one file: applied to the registry once the batch is acknowledged.
struct FileProgress: Sendable, Equatable {
    var key: FileKey
    var generation: UInt64
    var offset: UInt64
}

extension Registry {
    /// Drops the state of a file that no longer exists (Filebeat's `clean_removed`).
    func remove(_ key: FileKey) {
        guard states.removeValue(forKey: key) != nil else { return }
        markDirty()
    }
}
