import Foundation
import GRDB

/// How a failure of the SQLite storage reaches the client (issue 9 "Faults", disk full).
///
/// A full disk is the storage failure operators meet most, and the one they must recognise at
/// once: Elasticsearch reports Lucene's `IOException` as a 500 `i_o_exception` whose reason is
/// the OS message "No space left on device". SQLite turns ENOSPC into `SQLITE_FULL` and rolls
/// the transaction back, so the write is refused whole, nothing earlier is touched, and the
/// next write after space returns simply succeeds. We say which data path is full, since that
/// is the one thing the operator has to act on. Every other storage error stays a 500
/// `exception` naming the SQLite error.
enum StorageFailure {
    static func elasticsearchError(_ error: any Error, dataPath: String?) -> ElasticsearchError {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL {
            let reason = dataPath.map { "No space left on device: the data path [\($0)] is full" } ?? "No space left on device"
            return ElasticsearchError(status: 500, type: "i_o_exception", reason: reason)
        }
        return ElasticsearchError(status: 500, type: "exception", reason: "storage failure: \(error)")
    }
}
