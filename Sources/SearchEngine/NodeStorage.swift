import Foundation
import GRDB

/// The SQLite database of one node data path: schema, migrations and connection settings.
///
/// Schema (reference: issue 3 "Durability and storage"):
/// - `indices` — one row per index with its mapping JSON and the next `_seq_no`;
/// - `fields` — every mapped leaf field; its id keys `vals`, text fields own an FTS5 column;
/// - `docs` — `_id`, `_version`, `_seq_no` and the `_source` bytes exactly as sent; rowids are
///   allocated per index (`index_id << 40` upwards), so "documents of index X" is a rowid range
///   that FTS5 and every table can seek to without a join;
/// - `vals(field, v, doc)` — typed doc values (keyword text, integers, doubles, epoch millis,
///   booleans as 0/1) in one clustered b-tree: term/range lookups, sorting and aggregations are
///   range scans that never touch `_source`. There is deliberately no second index by document
///   (it cost 30 % of bulk throughput); replacing a document re-derives its old rows from its
///   stored `_source` and deletes them by key;
/// - `fts` — FTS5, contentless (`FullTextRow`): one row per document (rowid = docs.rowid), one
///   column per text field, BM25; the words are indexed, `_source` keeps the text.
/// - `templates` — legacy index templates by name, each as the JSON `GET /_template` shows (`IndexTemplate`).
/// - `indices.refreshed_upto` — the refresh watermark: `vals` rows of newer documents may still be
///   held in memory (`PendingValueRows`, `Refresh`).
///
/// WAL with `synchronous=NORMAL`: a committed transaction is in the WAL file before `write`
/// returns, so it survives `kill -9` of the process (only an OS crash could lose the tail).
enum NodeStorage {
    static let databaseFileName = "node.sqlite"

    /// Run on every connection (GRDB opens the pool in WAL mode): see `SearchEngine.storagePragmas`.
    static let pragmas = [
        "PRAGMA synchronous = NORMAL",
        // Fewer, larger checkpoints: bulk ingest writes many pages per transaction.
        "PRAGMA wal_autocheckpoint = 8000",
    ]

    static func open(dataPath: String?) throws -> any DatabaseWriter {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            for pragma in SearchEngine.storagePragmas { try db.execute(sql: pragma) }
            try BM25.register(db)
        }
        let writer: any DatabaseWriter
        if let dataPath {
            try FileManager.default.createDirectory(atPath: dataPath, withIntermediateDirectories: true)
            writer = try DatabasePool(path: (dataPath as NSString).appendingPathComponent(databaseFileName), configuration: configuration)
        } else {
            writer = try DatabaseQueue(configuration: configuration)
        }
        try migrator.migrate(writer)
        return writer
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-indices-docs-values-fts") { db in
            try db.execute(sql: """
                CREATE TABLE indices(
                    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, uuid TEXT NOT NULL,
                    created INTEGER NOT NULL, shards INTEGER NOT NULL, replicas INTEGER NOT NULL,
                    mapping TEXT NOT NULL, next_seq_no INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE fields(
                    id INTEGER PRIMARY KEY, index_id INTEGER NOT NULL, path TEXT NOT NULL,
                    type TEXT NOT NULL, fts_column INTEGER, ignore_above INTEGER,
                    UNIQUE(index_id, path));
                CREATE TABLE docs(
                    rowid INTEGER PRIMARY KEY, index_id INTEGER NOT NULL, doc_id TEXT NOT NULL,
                    version INTEGER NOT NULL, seq_no INTEGER NOT NULL, source BLOB NOT NULL);
                CREATE UNIQUE INDEX docs_by_id ON docs(index_id, doc_id);
                CREATE TABLE vals(field INTEGER NOT NULL, v, doc INTEGER NOT NULL,
                    PRIMARY KEY(field, v, doc)) WITHOUT ROWID;
                """)
            try db.execute(sql: "CREATE VIRTUAL TABLE fts USING fts5(\(ftsColumns), tokenize = 'unicode61 remove_diacritics 0')")
            try db.execute(sql: "CREATE VIRTUAL TABLE fts_terms USING fts5vocab(fts, 'col')")
        }
        migrator.registerMigration("v2-index-templates") { db in
            try db.execute(sql: "CREATE TABLE templates(name TEXT PRIMARY KEY, body TEXT NOT NULL)")
        }
        migrator.registerMigration("v3-refresh-watermark") { db in
            // Before v3 every committed document had its `vals` rows: all of them are refreshed.
            try db.execute(sql: """
                ALTER TABLE indices ADD COLUMN refreshed_upto INTEGER NOT NULL DEFAULT 0;
                UPDATE indices SET refreshed_upto = coalesce(
                    (SELECT max(rowid) FROM docs WHERE rowid BETWEEN indices.id << 40 AND (indices.id << 40) + (1 << 40) - 1),
                    indices.id << 40);
                """)
        }
        migrator.registerMigration("v4-contentless-full-text") { db in
            // The words stay indexed, no longer stored twice (`FullTextRow`): the rows move over
            // with the texts they were indexed with, so every later delete finds them exact.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE fts_contentless USING fts5(\(ftsColumns), tokenize = 'unicode61 remove_diacritics 0', content = '');
                INSERT INTO fts_contentless(rowid, \(ftsColumns)) SELECT rowid, \(ftsColumns) FROM fts;
                DROP TABLE fts_terms;
                DROP TABLE fts;
                ALTER TABLE fts_contentless RENAME TO fts;
                CREATE VIRTUAL TABLE fts_terms USING fts5vocab(fts, 'col');
                """)
        }
        return migrator
    }

    /// The FTS5 table's text columns, `c0` to `c31`.
    private static let ftsColumns = (0..<IndexMetadata.textFieldLimit).map { "c\($0)" }.joined(separator: ", ")

    /// Reads every index with its fields (on open).
    static func loadCatalog(_ db: Database) throws -> [String: IndexMetadata] {
        var catalog: [String: IndexMetadata] = [:]
        var byId: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, name, uuid, created, shards, replicas, mapping, next_seq_no, refreshed_upto FROM indices") {
            let mappingText: String = row[6]
            let mapping = (try? JSON(parsing: mappingText)).flatMap { try? Mapping(parsing: $0) } ?? Mapping()
            let name: String = row[1]
            var index = IndexMetadata(id: row[0], name: name, uuid: row[2], creationDate: row[3],
                                      numberOfShards: row[4], numberOfReplicas: row[5], mapping: mapping,
                                      fields: [:], nextSeqNo: row[7], nextRowid: 0)
            index.refreshedUpto = row[8]
            catalog[name] = index
            byId[row[0]] = name
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, index_id, path, type, fts_column, ignore_above FROM fields") {
            guard let name = byId[row[1]], let type = FieldType(rawValue: row[3]) else { continue }
            let path: String = row[2]
            catalog[name]?.fields[path] = FieldInfo(id: row[0], path: path, type: type, column: row[4], ignoreAbove: row[5])
        }
        for (name, index) in catalog {
            catalog[name]?.mapping.restore(index.fields.values)
            catalog[name]?.linkMultiFields()
            let last = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM docs WHERE rowid BETWEEN ? AND ?",
                                          arguments: [index.rowidRange.lowerBound, index.rowidRange.upperBound])
            // Past the watermark too: a rowid at or below it must never be given to a document
            // whose rows are only held in memory (the last documents may have been deleted).
            catalog[name]?.nextRowid = max(last ?? index.rowidRange.lowerBound, index.refreshedUpto) + 1
        }
        return catalog
    }
}

import JSONValue
