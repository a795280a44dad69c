import Foundation
import GRDB
import GRDBSQLite

/// Direct binding and stepping of a prepared GRDB statement for the per-document hot paths
/// (bulk inserts). GRDB's generic `execute(arguments:)` builds argument arrays and validates
/// them per call, which cost more than SQLite's own work for 200-byte log documents. The
/// statement still belongs to GRDB (cached, finalized by it) and runs inside its transaction.
struct RawStatement {
    private let statement: Statement
    private let raw: OpaquePointer
    private let connection: OpaquePointer?

    init(_ db: Database, _ sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        raw = statement.sqliteStatement
        connection = db.sqliteConnection
        // `run()` leaves the statement reset; resetting again covers a previous use that threw
        // before running. Callers bind every parameter.
        sqlite3_reset(raw)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds text that SQLite reads where it lies (`SQLITE_STATIC`), saving the allocation and
    /// copy `SQLITE_TRANSIENT` makes per value. The bytes must stay valid until `run` returns,
    /// so callers bind and run inside one `withUnsafeBufferPointer`, passing the position to
    /// `run(releasingInPlace:)`, which unbinds it.
    func bindInPlace(_ position: Int32, _ text: UnsafeBufferPointer<UInt8>) {
        text.withMemoryRebound(to: CChar.self) { chars in
            // A non-null pointer even for "", which SQLite would otherwise bind as NULL.
            _ = sqlite3_bind_text(raw, position, chars.baseAddress ?? UnsafeRawPointer(Self.empty.utf8Start).assumingMemoryBound(to: CChar.self), Int32(chars.count), nil)
        }
    }

    /// Binds a blob in place (`SQLITE_STATIC`); the same rules as `bindInPlace(_:_: UnsafeBufferPointer<UInt8>)`.
    func bindBlobInPlace(_ position: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        _ = sqlite3_bind_blob(raw, position, UnsafeRawPointer(bytes.baseAddress) ?? UnsafeRawPointer(Self.empty.utf8Start), Int32(bytes.count), nil)
    }

    /// A valid address for zero bytes.
    private static let empty: StaticString = ""

    func bind(_ position: Int32, _ value: Int64) { sqlite3_bind_int64(raw, position, value) }

    func bind(_ position: Int32, _ value: Double) { sqlite3_bind_double(raw, position, value) }

    /// Binds by byte length, so text containing U+0000 is stored whole.
    func bind(_ position: Int32, _ value: String) {
        if value.isEmpty {
            sqlite3_bind_text(raw, position, "", 0, Self.transient)
            return
        }
        var text = value
        text.withUTF8 { buffer in
            _ = buffer.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text(raw, position, chars.baseAddress, Int32(chars.count), Self.transient)
            }
        }
    }

    func bind(_ position: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(raw, position, buffer.baseAddress, Int32(buffer.count), Self.transient)
        }
    }

    func bind(_ position: Int32, _ value: DatabaseValue) {
        switch value.storage {
        case .null: sqlite3_bind_null(raw, position)
        case .int64(let number): sqlite3_bind_int64(raw, position, number)
        case .double(let number): sqlite3_bind_double(raw, position, number)
        case .string(let text): bind(position, text)
        case .blob(let data): data.withUnsafeBytes { _ = sqlite3_bind_blob(raw, position, $0.baseAddress, Int32($0.count), Self.transient) }
        }
    }

    /// Runs the statement to completion and resets it for the next document. Bindings are not
    /// cleared (callers bind every parameter; clearing 21 `vals` parameters per document showed
    /// in profiles); the next use replaces them.
    func run() throws {
        let code = sqlite3_step(raw)
        defer { sqlite3_reset(raw) }
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: statement.sql)
        }
    }

    /// `run()`, then unbinds the positions bound in place, so the cached statement keeps no
    /// pointer into memory the caller is about to release.
    func run(releasingInPlace positions: some Sequence<Int32>) throws {
        defer { for position in positions { sqlite3_bind_null(raw, position) } }
        try run()
    }
}
