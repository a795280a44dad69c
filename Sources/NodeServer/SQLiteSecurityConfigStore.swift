import Foundation
import GRDB
import JSONValue
import SecurityEngine

/// The node's security configuration on disk: what the plugin keeps in its `.opendistro_security`
/// index, kept here in a SQLite file of its own (`security.sqlite` beside the document store)
/// with every version retained, so a bad upload can be inspected and the history audited.
///
/// Each version is a full snapshot of every type (a few kilobytes), which makes `load` a single
/// indexed read and `replace` one transaction: an upload of several types is applied whole or
/// not at all, and a version conflict changes nothing.
public final class SQLiteSecurityConfigStore: SecurityConfigStore {
    private let queue: DatabaseQueue

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try Self.migrator.migrate(queue)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-security-config") { db in
            try db.execute(sql: """
                CREATE TABLE config_version (
                    version INTEGER PRIMARY KEY,
                    created_at TEXT NOT NULL,
                    changed_types TEXT NOT NULL
                );
                CREATE TABLE config_document (
                    version INTEGER NOT NULL REFERENCES config_version(version),
                    type TEXT NOT NULL,
                    document TEXT NOT NULL,
                    PRIMARY KEY (version, type)
                );
                """)
        }
        return migrator
    }

    public func load() throws -> StoredConfiguration? {
        try queue.read { db in
            guard let version = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM config_version") else { return nil }
            return try Self.snapshot(db, version: version)
        }
    }

    public func replace(_ documents: [ConfigType: JSON], expectedVersion: Int?) throws -> Int {
        let rows = documents.map { ($0.key.rawValue, $0.value.serialized()) }
        let changed = documents.keys.sorted().map(\.rawValue).joined(separator: ",")
        return try queue.write { db in
            let current = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM config_version") ?? 0
            if let expectedVersion, expectedVersion != current {
                throw SecurityConfigStoreError.versionConflict(expected: expectedVersion, actual: current)
            }
            let next = current + 1
            try db.execute(sql: "INSERT INTO config_version (version, created_at, changed_types) VALUES (?, ?, ?)",
                           arguments: [next, Date().formatted(Date.ISO8601FormatStyle(timeZone: .gmt)), changed])
            // Carry the untouched types forward, then write the new ones over them.
            try db.execute(sql: """
                INSERT INTO config_document (version, type, document)
                SELECT ?, type, document FROM config_document WHERE version = ?
                """, arguments: [next, current])
            for (type, document) in rows {
                try db.execute(sql: "INSERT OR REPLACE INTO config_document (version, type, document) VALUES (?, ?, ?)",
                               arguments: [next, type, document])
            }
            return next
        }
    }

    public func history(limit: Int) throws -> [StoredConfiguration] {
        try queue.read { db in
            let versions = try Int.fetchAll(db, sql: "SELECT version FROM config_version ORDER BY version DESC LIMIT ?", arguments: [limit])
            return try versions.map { try Self.snapshot(db, version: $0) }
        }
    }

    private static func snapshot(_ db: Database, version: Int) throws -> StoredConfiguration {
        var documents: [ConfigType: JSON] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT type, document FROM config_document WHERE version = ?", arguments: [version]) {
            guard let type = ConfigType(rawValue: row["type"]) else { continue }
            documents[type] = try JSON(parsing: row["document"] as String)
        }
        let changed = (try String.fetchOne(db, sql: "SELECT changed_types FROM config_version WHERE version = ?", arguments: [version]) ?? "")
            .split(separator: ",").compactMap { ConfigType(rawValue: String($0)) }
        return StoredConfiguration(version: version, documents: documents, changedTypes: changed)
    }
}
