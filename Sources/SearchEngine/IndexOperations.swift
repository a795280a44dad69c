import Foundation
import GRDB
import JSONValue

/// Create/delete/get index and get/put mapping (ES "indices" APIs), plus the storage steps they
/// share with auto-creation on first write.
extension SearchEngine {
    /// `PUT /{index}` with optional `{"settings":{...},"mappings":{...},"aliases":{}}`.
    public func createIndex(_ name: String, body: JSON?) throws(ElasticsearchError) -> EngineResponse {
        try IndexName.validate(name)
        _ = try Self.parseCreateBody(body)  // the request's own errors come first
        try write { db, catalog in
            if let existing = catalog[name] { throw ElasticsearchError.indexAlreadyExists(name, uuid: existing.uuid) }
            let effective = try Self.parseCreateBody(try Self.applyingTemplates(db, to: name, body: body))
            try Self.createIndexRow(db, &catalog, name: name, shards: effective.shards, replicas: effective.replicas, mapping: effective.mapping)
        }
        return EngineResponse(body: ["acknowledged": true, "shards_acknowledged": true, "index": .string(name)])
    }

    /// The shards, replicas and mapping of a create-index body (`settings`, `mappings`, empty `aliases`).
    static func parseCreateBody(_ body: JSON?) throws(ElasticsearchError) -> (shards: Int, replicas: Int, mapping: Mapping) {
        var shards = 1, replicas = 1
        var mapping = Mapping()
        if let body, !body.isNull {
            guard let object = body.objectValue else { throw .parsing("Failed to derive xcontent") }
            for (key, value) in object {
                switch key {
                case "settings":
                    (shards, replicas) = try Self.parseSettings(value, shards: shards, replicas: replicas)
                case "mappings":
                    mapping = try Mapping(parsing: value)
                case "aliases":
                    guard value.objectValue?.isEmpty ?? false else { throw .illegalArgument("aliases are not supported by this node") }
                default:
                    throw ElasticsearchError(status: 400, type: "parse_exception", reason: "unknown key [\(key)] for create index")
                }
            }
        }
        return (shards, replicas, mapping)
    }

    /// A shard or replica count, checked as ES checks `index.number_of_shards` (1 to 1024).
    /// Replicas get the same upper bound here, where ES has none: every wanted replica is an
    /// unassigned copy that `_cat/shards` and the health figures list, and an absurd count
    /// must not make them exhaust the node.
    static func count(_ value: JSON, setting: String, minimum: Int) throws(ElasticsearchError) -> Int {
        let text = value.stringValue ?? value.serialized()
        guard let number = value.intValue ?? Int64(text) else { throw .illegalArgument("Failed to parse value [\(text)] for setting [\(setting)]") }
        if number < minimum { throw .illegalArgument("Failed to parse value [\(text)] for setting [\(setting)] must be >= \(minimum)") }
        if number > 1024 { throw .illegalArgument("Failed to parse value [\(text)] for setting [\(setting)] must be <= 1024") }
        return Int(number)
    }

    /// Reads `number_of_shards`/`number_of_replicas` from flat (`index.number_of_replicas`) or
    /// nested (`{"index":{...}}`) settings; values may be numbers or strings, as in ES.
    static func parseSettings(_ json: JSON, shards: Int, replicas: Int) throws(ElasticsearchError) -> (Int, Int) {
        guard let object = json.objectValue else { throw .illegalArgument("settings must be an object") }
        var result = (shards, replicas)
        for (key, value) in object {
            let name = key.hasPrefix("index.") ? String(key.dropFirst(6)) : key
            if name == "index", value.objectValue != nil {
                result = try parseSettings(value, shards: result.0, replicas: result.1)
                continue
            }
            switch name {
            case "number_of_shards": result.0 = try count(value, setting: "index.number_of_shards", minimum: 1)
            case "number_of_replicas": result.1 = try count(value, setting: "index.number_of_replicas", minimum: 0)
            default:
                continue
            }
        }
        return result
    }

    static func createIndexRow(_ db: Database, _ catalog: inout [String: IndexMetadata], name: String,
                               shards: Int = 1, replicas: Int = 1, mapping: Mapping = Mapping()) throws {
        let uuid = randomIdentifier(length: 22)
        let created = Int64(Date().timeIntervalSince1970 * 1000)
        try db.execute(sql: "INSERT INTO indices(name, uuid, created, shards, replicas, mapping) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [name, uuid, created, shards, replicas, mapping.json.serialized()])
        var metadata = IndexMetadata(id: db.lastInsertedRowID, name: name, uuid: uuid, creationDate: created,
                                     numberOfShards: shards, numberOfReplicas: replicas, mapping: Mapping(),
                                     fields: [:], nextSeqNo: 0, nextRowid: 0)
        metadata.nextRowid = metadata.rowidRange.lowerBound + 1
        metadata.refreshedUpto = metadata.rowidRange.lowerBound  // stored at commit (`SearchEngine.write`)
        for (path, field) in mapping.leafFields {
            metadata = try registerField(db, metadata, path: path, field: field)
        }
        metadata.mapping = mapping
        metadata.linkMultiFields()
        catalog[name] = metadata
    }

    /// Stores a new leaf field (and its multi-fields) of `metadata`, giving text fields an FTS5
    /// column, and adds it to the mapping. Without a database the field gets a provisional
    /// (negative) id: a dry run that validates a document before anything is written.
    static func registerField(_ db: Database?, _ metadata: IndexMetadata, path: String, field: FieldMapping) throws -> IndexMetadata {
        var metadata = metadata
        metadata.mappingVersion &+= 1
        if field.type == .object {
            metadata.mapping.add(path: path.split(separator: ".").map(String.init), field: FieldMapping(type: .object))
            metadata.objectPaths.insert(path)
            return metadata
        }
        var used = metadata.usedColumns
        func insert(_ path: String, _ field: FieldMapping) throws {
            guard metadata.fields[path] == nil else { return }
            var column: Int?
            if field.type == .text {
                guard let free = (0..<IndexMetadata.textFieldLimit).first(where: { !used.contains($0) }) else {
                    throw ElasticsearchError.illegalArgument("Limit of total text fields [\(IndexMetadata.textFieldLimit)] in index [\(metadata.name)] has been exceeded")
                }
                column = free
                used.insert(free)
            }
            var id = -Int64(metadata.fields.count + 1)
            if let db {
                try db.execute(sql: "INSERT INTO fields(index_id, path, type, fts_column, ignore_above) VALUES (?, ?, ?, ?, ?)",
                               arguments: [metadata.id, path, field.type.rawValue, column, field.ignoreAbove])
                id = db.lastInsertedRowID
            }
            metadata.fields[path] = FieldInfo(id: id, path: path, type: field.type, column: column, ignoreAbove: field.ignoreAbove)
        }
        try insert(path, field)
        for (name, subfield) in field.fields { try insert(path + "." + name, subfield) }
        if metadata.mapping.leafFields.first(where: { $0.path == path }) == nil {
            metadata.mapping.add(path: path.split(separator: ".").map(String.init), field: field)
        }
        metadata.linkMultiFields()
        return metadata
    }

    /// The index a write goes to, created with defaults when missing (ES `action.auto_create_index`).
    static func indexForWrite(_ db: Database, _ catalog: inout [String: IndexMetadata], _ name: String) throws -> IndexMetadata {
        if let existing = catalog[name] { return existing }
        try IndexName.validate(name)
        let effective = try parseCreateBody(try applyingTemplates(db, to: name, body: nil))
        try createIndexRow(db, &catalog, name: name, shards: effective.shards, replicas: effective.replicas, mapping: effective.mapping)
        return catalog[name]!
    }

    /// `DELETE /{index}`: names, comma lists, wildcards or `_all`.
    /// `DELETE /{index}`; `ignoreUnavailable` (`?ignore_unavailable=true`) skips names that do
    /// not exist instead of answering 404, and is still acknowledged when nothing was deleted.
    public func deleteIndex(_ expression: String, ignoreUnavailable: Bool = false) throws(ElasticsearchError) -> EngineResponse {
        let names = try resolveIndices(expression, ignoreUnavailable: ignoreUnavailable)
        // Refreshed first: no held `vals` row may outlive its index (field ids are reused).
        try write(refreshingFirst: true) { db, catalog in
            let removed = names.compactMap { catalog.removeValue(forKey: $0) }
            // With no document left in any other index the full-text table is emptied at once;
            // otherwise each removed document's row goes with its texts (`FullTextRow`).
            let othersLeft = try catalog.values.contains { index in
                try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM docs WHERE rowid BETWEEN ? AND ?)",
                                  arguments: [index.rowidRange.lowerBound, index.rowidRange.upperBound]) ?? true
            }
            var removedDocuments = 0
            for index in removed {
                let range: StatementArguments = [index.rowidRange.lowerBound, index.rowidRange.upperBound]
                if othersLeft { try FullTextRow.deleteAll(db, index) }
                try db.execute(sql: "DELETE FROM vals WHERE field IN (SELECT id FROM fields WHERE index_id = ?)", arguments: [index.id])
                try db.execute(sql: "DELETE FROM docs WHERE rowid BETWEEN ? AND ?", arguments: range)
                removedDocuments += db.changesCount
                try db.execute(sql: "DELETE FROM fields WHERE index_id = ?", arguments: [index.id])
                try db.execute(sql: "DELETE FROM indices WHERE id = ?", arguments: [index.id])
            }
            if othersLeft {
                try Self.expungeDeletes(db, removedDocuments: removedDocuments)
            } else if !removed.isEmpty {
                try FullTextRow.deleteEverything(db)
            }
        }
        return EngineResponse(body: ["acknowledged": true])
    }

    /// Merges away the full-text delete markers a large index deletion left.
    ///
    /// Why: the FTS5 table is shared by every index, so deleting one does not drop files as ES
    /// does; FTS5 records each removed row as delete markers in new segments, which every later
    /// merge carries until they meet the rows they cancel. After a 270,000-document index was
    /// deleted, bulks into a new index ran 6 % slower (50.5–50.8 against 53.9–54.3 bulks/s) until
    /// those segments were merged; merged at once they ran at the first run's rate. The merge is
    /// FTS5's incremental one over all levels (`'merge', -N`), with N pages proportional to what
    /// was deleted (a page per 64 documents, none below 1,024; ~0.3 s for 270,000), so deleting a
    /// small index next to a large one never pays for rewriting the large one, as `optimize` would.
    static func expungeDeletes(_ db: Database, removedDocuments: Int) throws {
        let pages = removedDocuments / 64
        guard pages >= 16 else { return }
        // Inside a savepoint: opening one makes FTS5 write out the deletions it holds in memory,
        // which a merge in the same transaction would otherwise not see (a contentless table's
        // `'delete'` commands stay pending; measured: 191,257 bytes left instead of 18,702).
        try db.inSavepoint {
            try db.execute(sql: "INSERT INTO fts(fts, rank) VALUES('merge', ?)", arguments: [-pages])
            return .commit
        }
    }

    /// `POST /_forcemerge`: merges the full-text index's segments into one (FTS5 `optimize`),
    /// what a Lucene force merge does to an index's segments. The table is shared by every
    /// index, so any force merge merges all of it.
    public func forceMerge() throws(ElasticsearchError) {
        try write { db, _ in try db.execute(sql: "INSERT INTO fts(fts) VALUES('optimize')") }
    }

    /// `HEAD /{index}`: 200 when every named index exists (wildcards: at least one match).
    public func indexExists(_ expression: String) -> Bool {
        guard let names = try? resolveIndices(expression) else { return false }
        return !names.isEmpty
    }

    /// `GET /{index}`: aliases, mappings and settings of each resolved index.
    public func getIndex(_ expression: String, ignoreUnavailable: Bool = false) throws(ElasticsearchError) -> EngineResponse {
        let catalog = catalog.snapshot
        let body = JSONObject(try resolveIndices(expression, ignoreUnavailable: ignoreUnavailable).compactMap { name -> (String, JSON)? in
            guard let index = catalog[name] else { return nil }
            return (name, ["aliases": [:], "mappings": index.mapping.json, "settings": index.settingsJSON])
        })
        return EngineResponse(body: .object(body))
    }

    /// `GET /{index}/_mapping`.
    public func getMapping(_ expression: String) throws(ElasticsearchError) -> EngineResponse {
        let catalog = catalog.snapshot
        let body = JSONObject(try resolveIndices(expression).compactMap { name -> (String, JSON)? in
            catalog[name].map { (name, ["mappings": $0.mapping.json]) }
        })
        return EngineResponse(body: .object(body))
    }

    /// `PUT /{index}/_mapping` with `{"properties":{...}}`; a changed field type is refused.
    public func putMapping(_ expression: String, body: JSON) throws(ElasticsearchError) -> EngineResponse {
        let incoming = try Mapping(parsing: body)
        let names = try resolveIndices(expression)
        try write { db, catalog in
            for name in names {
                guard var index = catalog[name] else { continue }
                var merged = index.mapping
                try merged.merge(incoming)
                for (path, field) in incoming.leafFields where index.fields[path] == nil {
                    index = try Self.registerField(db, index, path: path, field: field)
                }
                index.mapping = merged
                index.mappingVersion &+= 1
                index.linkMultiFields()
                catalog[name] = index
            }
        }
        return EngineResponse(body: ["acknowledged": true])
    }
}
