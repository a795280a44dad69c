import JSONValue

/// A mapped leaf field as storage knows it: its row id in `fields` (the key of its values in
/// `vals`), its type, and for `text` fields the FTS5 column that holds its words.
public struct FieldInfo: Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var type: FieldType
    /// `c0`...`c63` of the `fts` table for text fields.
    public var column: Int?
    public var ignoreAbove: Int?
    /// Paths of this field's multi-fields (`message.keyword`), indexed from the same value.
    public var multiFields: [String] = []
}

/// One index: identity, settings, mapping and the flattened field table derived from it.
///
/// Kept in memory (reloaded from SQLite on open) so a write or search never re-reads the mapping;
/// it changes only inside the serialized write path (see `SearchEngine.write`).
public struct IndexMetadata: Sendable {
    public var id: Int64
    public var name: String
    public var uuid: String
    public var creationDate: Int64
    public var numberOfShards: Int
    public var numberOfReplicas: Int
    public var mapping: Mapping
    public var fields: [String: FieldInfo]
    /// The `_seq_no` the next operation on this index gets.
    public var nextSeqNo: Int64
    /// The `docs` rowid the next new document gets (within `rowidRange`).
    var nextRowid: Int64

    /// Every document of this index at or below this rowid has its `vals` rows in the tree; the
    /// rows of later ones may still be held in memory (`PendingValueRows`) or, after a crash, be
    /// re-derived from their sources (`Refresh`). Stored in `indices.refreshed_upto`.
    var refreshedUpto: Int64 = .max

    /// The rowids this index's documents live in: its id in the top 23 bits.
    var rowidRange: ClosedRange<Int64> { (id << 40)...((id << 40) + (1 << 40) - 1) }

    /// The rowids a search sees: the refreshed ones, so that a search never finds a document by
    /// its text or `_source` but not by its values (ES's searches likewise see the last refresh).
    var searchableRowids: ClosedRange<Int64> {
        rowidRange.lowerBound...max(rowidRange.lowerBound, min(rowidRange.upperBound, refreshedUpto))
    }

    /// The FTS5 table has this many text columns; an index cannot map more `text` fields. ES's own
    /// cap is `index.mapping.total_fields.limit` (1000 fields of all types).
    public static let textFieldLimit = 32

    /// Paths of object fields (`host`), so indexing checks them with one lookup per object.
    var objectPaths: Set<String> = []

    /// Changes whenever a field is added or the mapping is replaced (in memory only): an analysis
    /// made against one version holds for any later metadata of the same index and version
    /// (`BulkPreparation`).
    var mappingVersion: UInt64 = 0

    /// Recomputes `multiFields` and `objectPaths` from the mapping after fields were loaded or added.
    mutating func linkMultiFields() {
        var objects = Set<String>()
        func collect(_ properties: [String: FieldMapping], _ prefix: String) {
            for (name, field) in properties where field.type == .object {
                objects.insert(prefix + name)
                collect(field.properties, prefix + name + ".")
            }
        }
        collect(mapping.properties, "")
        objectPaths = objects
        for (path, field) in mapping.leafFields where !field.fields.isEmpty {
            fields[path]?.multiFields = field.fields.keys.sorted().map { path + "." + $0 }
        }
    }

    var usedColumns: Set<Int> { Set(fields.values.compactMap(\.column)) }

    /// `_shards` of a write response: one primary plus the replicas that cannot be assigned on a
    /// single node, so `total` is 1 + replicas and `successful` is 1 (what ES 7.10 reports).
    var writeShards: JSON {
        Self.commonWriteShards.indices.contains(numberOfReplicas)
            ? Self.commonWriteShards[numberOfReplicas]
            : ["total": .int(Int64(1 + numberOfReplicas)), "successful": 1, "failed": 0]
    }

    /// `writeShards` for 0–3 replicas (ES's default is 1), built once: every bulk item carries it.
    private static let commonWriteShards: [JSON] = (0...3).map { ["total": .int(Int64(1 + $0)), "successful": 1, "failed": 0] }

    /// `{"index":{...}}` settings as `GET /index` shows them (values as strings, like ES).
    var settingsJSON: JSON { SearchEngine.nested(flatSettings) }

    /// The settings with dotted keys, in ES's order (`?flat_settings=true`).
    var flatSettings: [(String, JSON)] {
        [
            ("index.creation_date", .string(String(creationDate))),
            ("index.number_of_shards", .string(String(numberOfShards))),
            ("index.number_of_replicas", .string(String(numberOfReplicas))),
            ("index.uuid", .string(uuid)),
            ("index.version.created", "7100299"),
            ("index.provided_name", .string(name)),
        ]
    }

    /// The field a query names: `path` itself, or nil when unmapped (which matches nothing in ES).
    func field(_ path: String) -> FieldInfo? { fields[path] }

    /// Text fields matching a `multi_match`/`query_string` field pattern (`title`, `*`, `user.*`),
    /// with an optional `^boost` suffix stripped.
    func fields(matching pattern: String) -> [FieldInfo] {
        let name = pattern.split(separator: "^").first.map(String.init) ?? pattern
        if !name.utf8.contains(UInt8(ascii: "*")) { return fields[name].map { [$0] } ?? [] }
        return fields.values.filter { IndexName.matches($0.path, pattern: name) && $0.type != .object }
            .sorted { $0.path < $1.path }
    }
}
