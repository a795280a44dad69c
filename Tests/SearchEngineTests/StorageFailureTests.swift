import GRDB
import Testing
@testable import SearchEngine

/// Storage errors as clients see them (issue 9 "Faults"): a full disk is Elasticsearch's
/// `i_o_exception` naming the data path; anything else stays a 500 `exception`.
@Suite struct StorageFailureTests {
    @Test func fullDiskIsAnIOExceptionNamingTheDataPath() {
        let error = StorageFailure.elasticsearchError(DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full"),
                                                      dataPath: "/var/lib/certlab/indices")
        #expect(error.status == 500)
        #expect(error.type == "i_o_exception")
        #expect(error.reason == "No space left on device: the data path [/var/lib/certlab/indices] is full")
    }

    @Test func otherStorageErrorsKeepTheSQLiteMessage() {
        let error = StorageFailure.elasticsearchError(DatabaseError(resultCode: .SQLITE_CORRUPT, message: "database disk image is malformed"),
                                                      dataPath: nil)
        #expect(error.status == 500)
        #expect(error.type == "exception")
        #expect(error.reason == "storage failure: SQLite error 11: database disk image is malformed")
    }
}
