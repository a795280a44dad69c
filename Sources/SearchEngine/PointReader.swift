import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Reads one document by `_id` (`GET`/`HEAD /{index}/_doc/{id}`) on dedicated read-only SQLite
/// connections, outside GRDB's reader pool.
///
/// Why: `DatabasePool.read` wraps every read in `BEGIN DEFERRED`/`COMMIT` on a pooled connection
/// reached through a semaphore and a dispatch queue — three statements and two thread
/// synchronisations around one indexed row. For a keep-alive `GET` that was three quarters of
/// the request's storage time (perf, bench/RESULTS.md). One `SELECT` in autocommit mode is its
/// own read transaction: in WAL mode it sees every transaction committed before it started,
/// which is exactly Elasticsearch's real-time get, so no explicit transaction is needed.
///
/// Connections are opened on demand and kept in a small free list; each is used by one thread
/// at a time (`SQLITE_OPEN_NOMUTEX`), and its two prepared statements live as long as it does.
final class PointReader: Sendable {
    private let path: String
    private let idle = Mutex<[Connection]>([])
    /// Connections kept for reuse; more may be open briefly under a burst of concurrent reads.
    private static let keptConnections = 8

    init(path: String) {
        self.path = path
    }

    /// The document `id` of the index whose row id is `index`, or nil when there is none.
    /// Errors are GRDB `DatabaseError`s, so `StorageFailure` reports them like any other.
    func lookup(index: Int64, id: String, withSource: Bool) throws -> StoredDocument? {
        let connection = try idle.withLock { $0.popLast() } ?? Connection(path: path)
        defer {
            idle.withLock { connections in
                if connections.count < Self.keptConnections { connections.append(connection) }
            }
        }
        return try connection.lookup(index: index, id: id, withSource: withSource)
    }

    /// One read-only connection with its prepared statements; closed when released.
    private final class Connection: @unchecked Sendable {
        private let db: OpaquePointer
        private let withSource: OpaquePointer
        private let withoutSource: OpaquePointer

        init(path: String) throws {
            var handle: OpaquePointer?
            let opened = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
            guard opened == SQLITE_OK, let handle else {
                let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
                sqlite3_close_v2(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: opened), message: message)
            }
            // A writer's checkpoint can hold the WAL index lock for a moment; wait instead of failing.
            sqlite3_busy_timeout(handle, 5000)
            do {
                withSource = try Self.prepare(handle, "SELECT rowid, version, seq_no, source FROM docs WHERE index_id = ? AND doc_id = ?")
                do {
                    withoutSource = try Self.prepare(handle, "SELECT rowid, version, seq_no FROM docs WHERE index_id = ? AND doc_id = ?")
                } catch {
                    sqlite3_finalize(withSource)
                    throw error
                }
            } catch {
                sqlite3_close_v2(handle)
                throw error
            }
            db = handle
        }

        deinit {
            sqlite3_finalize(withSource)
            sqlite3_finalize(withoutSource)
            sqlite3_close_v2(db)
        }

        private static func prepare(_ db: OpaquePointer, _ sql: String) throws -> OpaquePointer {
            var statement: OpaquePointer?
            let code = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
            guard code == SQLITE_OK, let statement else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db)), sql: sql)
            }
            return statement
        }

        func lookup(index: Int64, id: String, withSource fetchSource: Bool) throws -> StoredDocument? {
            let statement = fetchSource ? withSource : withoutSource
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            var id = id
            let code = id.withUTF8 { text -> Int32 in
                sqlite3_bind_int64(statement, 1, index)
                // SQLITE_STATIC: the bytes outlive the step below, which is the only reader.
                text.withMemoryRebound(to: CChar.self) { chars in
                    if let base = chars.baseAddress {
                        _ = sqlite3_bind_text(statement, 2, base, Int32(chars.count), nil)
                    } else {
                        _ = sqlite3_bind_text(statement, 2, "", 0, nil)
                    }
                }
                return sqlite3_step(statement)
            }
            switch code {
            case SQLITE_DONE:
                return nil
            case SQLITE_ROW:
                var source: [UInt8] = []
                if fetchSource, let bytes = sqlite3_column_blob(statement, 3) {
                    let count = Int(sqlite3_column_bytes(statement, 3))
                    source = [UInt8](UnsafeRawBufferPointer(start: bytes, count: count))
                }
                return StoredDocument(rowid: sqlite3_column_int64(statement, 0), version: sqlite3_column_int64(statement, 1),
                                      seqNo: sqlite3_column_int64(statement, 2), source: source)
            default:
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db)))
            }
        }
    }
}
