import Foundation
import GRDB
import JSONValue
import Synchronization

/// What a REST operation answers: the HTTP status and the JSON body Elasticsearch 7.10 sends.
public struct EngineResponse: Sendable, Equatable {
    public var status: Int
    public var body: JSON

    public init(status: Int = 200, body: JSON) {
        self.status = status
        self.body = body
    }
}

/// An Elasticsearch-compatible single-node document store on one SQLite database.
///
/// One method per REST operation, taking the parsed path/query parameters and body and returning
/// an `EngineResponse` or throwing an `ElasticsearchError` (render `error.body` with
/// `error.status`). Operations that touch indices whose names a security layer must check first
/// are split into a parse step (`BulkRequest`, `MultiGetRequest`, `SearchRequest`) and an
/// execute step, and `resolveIndices` expands wildcards the same way execution will.
///
/// Concurrency: searches read a WAL snapshot concurrently; writes are serialized (one SQLite
/// writer) and each write call is one transaction, so whatever it acknowledged is durable.
public final class SearchEngine: Sendable {
    let writer: any DatabaseWriter
    let catalog: CatalogState
    let autoIds = AutoIdGenerator()
    /// The data path (nil: in memory), named in storage errors such as a full disk.
    let dataPath: String?
    /// Reads by `_id` outside GRDB's pool (nil for the in-memory database).
    let pointReader: PointReader?
    /// Open scroll searches (`ScrollContexts`).
    let scrolls = ScrollContexts()
    private let writeLock = NSLock()
    private let writes = Atomic<UInt64>(0)
    /// The writer connection, whose held `vals` rows are this engine's (`PendingValueRows`).
    let writerConnection: ObjectIdentifier
    /// Held `vals` rows may be missing: the process may have died holding some (true on open),
    /// or a transaction that flushed them rolled back. The next write re-derives them (`Refresh`).
    let rowsMayBeLost = Atomic<Bool>(true)
    /// A search must refresh first to see every acknowledged write (`Refresh`).
    let refreshNeeded = Atomic<Bool>(true)

    /// Opens (creating if needed) the node database under `dataPath`, or a private in-memory
    /// database when `dataPath` is nil (tests).
    public init(dataPath: String?) throws(ElasticsearchError) {
        let writer = try SearchEngine.convert(dataPath: dataPath) { try NodeStorage.open(dataPath: dataPath) }
        self.writer = writer
        self.dataPath = dataPath
        self.pointReader = dataPath.map { PointReader(path: ($0 as NSString).appendingPathComponent(NodeStorage.databaseFileName)) }
        self.catalog = CatalogState(try SearchEngine.convert(dataPath: dataPath) { try writer.read(NodeStorage.loadCatalog) })
        self.writerConnection = try SearchEngine.convert(dataPath: dataPath) { try writer.writeWithoutTransaction { ObjectIdentifier($0) } }
    }

    deinit { PendingValueRows.forget(writerConnection) }

    /// Changes after every write transaction (committed or not), once its changes are visible to
    /// readers: a result read while it stayed the same is still what a read would return now.
    /// The node's cache of rendered point reads (`PointReadCache`) is keyed by it.
    public var writeGeneration: UInt64 { writes.load(ordering: .acquiring) }

    /// The SQLite settings every connection of the engine runs (the database is in WAL mode);
    /// public so that benchmarks can give a plain SQLite baseline the same ones.
    public static var storagePragmas: [String] { NodeStorage.pragmas }

    /// Names of all existing indices, sorted.
    public var indexNames: [String] { catalog.names }

    /// Expands an index expression (`logs-*,movies`, `_all`) to existing index names, exactly as
    /// search, count and delete will; throws `index_not_found_exception` for a missing concrete name.
    public func resolveIndices(_ expression: String, ignoreUnavailable: Bool = false) throws(ElasticsearchError) -> [String] {
        try IndexName.resolve(expression, existing: indexNames, ignoreUnavailable: ignoreUnavailable)
    }

    /// Metadata of an index, if it exists.
    public func metadata(of index: String) -> IndexMetadata? { catalog.snapshot[index] }

    // MARK: - Transactions

    /// Runs `body` in one write transaction with a private copy of the catalog; the copy replaces
    /// the shared catalog only after commit, and changed `_seq_no` counters, mappings and refresh
    /// watermarks are persisted in the same transaction.
    ///
    /// `refreshingFirst`: the body reads `vals` (a search inside the transaction) or removes what
    /// held rows refer to (an index), so every held row goes into the tree before it runs.
    func write<T>(refreshingFirst: Bool = false, _ body: (Database, inout [String: IndexMetadata]) throws -> T) throws(ElasticsearchError) -> T {
        writeLock.lock()
        defer {
            // After the commit and the catalog swap: a reader that saw the old generation may
            // have read the old rows, never the other way round.
            writes.add(1, ordering: .releasing)
            writeLock.unlock()
        }
        let before = catalog.snapshot
        var working = before
        let mark = PendingValueRows.mark(writerConnection)
        do {
            let result = try SearchEngine.convert(dataPath: dataPath) {
                try writer.write { db in
                    if rowsMayBeLost.load(ordering: .relaxed) { try Self.rederiveHeldRows(db, working) }
                    if refreshingFirst { try Self.refresh(db, &working) }
                    let value = try body(db, &working)
                    if PendingValueRows.due(db) { try PendingValueRows.flush(db) }
                    if PendingValueRows.isEmpty(db) { Self.markRefreshed(&working) }
                    try Self.persistCounters(db, from: before, to: working)
                    return value
                }
            }
            rowsMayBeLost.store(false, ordering: .relaxed)
            catalog.snapshot = working
            refreshNeeded.store(!PendingValueRows.isEmpty(writerConnection), ordering: .releasing)
            return result
        } catch {
            // Rolled back: its own rows go, and rows it flushed are gone with it.
            if !PendingValueRows.rollBack(writerConnection, to: mark) {
                rowsMayBeLost.store(true, ordering: .relaxed)
            }
            refreshNeeded.store(true, ordering: .releasing)
            throw error
        }
    }

    /// The `_seq_no` counters, mappings and refresh watermarks that changed in this transaction,
    /// all three for an index created in it (a bulk that creates an index also maps its fields).
    private static func persistCounters(_ db: Database, from before: [String: IndexMetadata], to working: [String: IndexMetadata]) throws {
        for (name, index) in working {
            let old = before[name].flatMap { $0.id == index.id ? $0 : nil }
            if old?.nextSeqNo != index.nextSeqNo {
                try db.execute(sql: "UPDATE indices SET next_seq_no = ? WHERE id = ?", arguments: [index.nextSeqNo, index.id])
            }
            if old?.mapping != index.mapping {
                try db.execute(sql: "UPDATE indices SET mapping = ? WHERE id = ?", arguments: [index.mapping.json.serialized(), index.id])
            }
            if old?.refreshedUpto != index.refreshedUpto {
                try db.execute(sql: "UPDATE indices SET refreshed_upto = ? WHERE id = ?", arguments: [index.refreshedUpto, index.id])
            }
        }
    }

    /// Runs `body` on a read snapshot. `searching`: the body reads `vals`, so held rows are
    /// refreshed first (`refreshBeforeSearch`).
    func read<T>(searching: Bool = false, _ body: (Database, [String: IndexMetadata]) throws -> T) throws(ElasticsearchError) -> T {
        let refreshed = !searching || refreshBeforeSearch()
        var snapshot = catalog.snapshot
        if !refreshed {
            for name in snapshot.keys { snapshot[name]?.refreshedUpto = .max }
        }
        return try SearchEngine.convert(dataPath: dataPath) { try writer.read { db in try body(db, snapshot) } }
    }

    /// Maps storage failures to 500 bodies (`StorageFailure`); `ElasticsearchError`s pass through.
    static func convert<T>(dataPath: String?, _ body: () throws -> T) throws(ElasticsearchError) -> T {
        do {
            return try body()
        } catch let error as ElasticsearchError {
            throw error
        } catch {
            throw StorageFailure.elasticsearchError(error, dataPath: dataPath)
        }
    }

    /// Parses a request body, turning a JSON syntax error into ES's `json_parse_exception`.
    public static func parseBody(_ bytes: [UInt8]) throws(ElasticsearchError) -> JSON {
        do {
            return try JSON(parsing: bytes)
        } catch {
            throw .jsonParse(error)
        }
    }

    static let urlSafeAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// URL-safe base64 of random bits: 20 characters for document ids (ES auto ids), 22 for
    /// uuids. Six bits per character from 64-bit draws (one `getrandom` per 10 characters, not
    /// one per character: bulk indexing with auto ids calls this for every document).
    static func randomIdentifier(length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var characters: [Character] = []
        characters.reserveCapacity(length)
        var bits: UInt64 = 0, available = 0
        while characters.count < length {
            if available < 6 { bits = generator.next(); available = 60 }
            characters.append(urlSafeAlphabet[Int(bits & 63)])
            bits >>= 6
            available -= 6
        }
        return String(characters)
    }
}

/// The shared, lock-protected catalog of index metadata.
final class CatalogState: @unchecked Sendable {
    private let lock = NSLock()
    private var value: [String: IndexMetadata]
    private var sortedNames: [String]

    init(_ value: [String: IndexMetadata]) {
        self.value = value
        self.sortedNames = value.keys.sorted()
    }

    var snapshot: [String: IndexMetadata] {
        get { lock.withLock { value } }
        set {
            let names = newValue.keys.sorted()
            lock.withLock { (value, sortedNames) = (newValue, names) }
        }
    }

    /// The index names, sorted once per change: the security layer asks for them on every request.
    var names: [String] { lock.withLock { sortedNames } }
}
