import Foundation
import GRDB
import JSONValue

/// One document of an `_mget` request, after parsing (so a security layer can check `index`).
public struct MultiGetItem: Sendable, Equatable {
    public var index: String
    public var id: String
    public var sourceFilter: SourceFilter
}

/// `_mget` in its two forms: `{"docs":[{"_index","_id","_source"}]}` and `{"ids":[...]}`.
public struct MultiGetRequest: Sendable, Equatable {
    public var items: [MultiGetItem]

    /// Every index the request reads, for authorization.
    public var indices: [String] { Array(Set(items.map(\.index))).sorted() }

    public static func parse(_ body: JSON, defaultIndex: String?, sourceFilter: SourceFilter = SourceFilter()) throws(ElasticsearchError) -> MultiGetRequest {
        guard let object = body.objectValue else { throw .parsing("Failed to derive xcontent") }
        var items: [MultiGetItem] = []
        for (key, value) in object {
            switch key {
            case "docs":
                guard let docs = value.arrayValue else { throw .parsing("docs array element should include an object") }
                for doc in docs {
                    guard let fields = doc.objectValue else { throw .parsing("docs array element should include an object") }
                    var filter = sourceFilter
                    if let source = fields["_source"] { filter = try SourceFilter(parsing: source) }
                    guard let index = fields["_index"]?.stringValue ?? defaultIndex else {
                        throw .actionValidation(["index is missing for doc 0"])
                    }
                    guard let id = fields["_id"]?.stringValue ?? fields["_id"]?.intValue.map({ String($0) }) else {
                        throw .actionValidation(["id is missing for doc 0"])
                    }
                    items.append(MultiGetItem(index: index, id: id, sourceFilter: filter))
                }
            case "ids":
                guard let ids = value.arrayValue else { throw .parsing("ids array element should only contain ids") }
                guard let defaultIndex else { throw .actionValidation(["index is missing for doc 0"]) }
                for id in ids {
                    guard let text = id.stringValue ?? id.intValue.map({ String($0) }) else { throw .parsing("ids array element should only contain ids") }
                    items.append(MultiGetItem(index: defaultIndex, id: text, sourceFilter: sourceFilter))
                }
            default:
                throw .parsing("Unknown key for a \(value.tokenName) in [\(key)].")
            }
        }
        if items.isEmpty { throw .actionValidation(["no documents to get"]) }
        return MultiGetRequest(items: items)
    }
}

extension SearchEngine {
    /// `GET /{index}/_doc/{id}`: 200 with `found:true`, 404 with `found:false`, 404
    /// `index_not_found_exception` for a missing index. Real-time: sees every acknowledged write.
    public func get(_ index: String, id: String, sourceFilter: SourceFilter = SourceFilter()) throws(ElasticsearchError) -> EngineResponse {
        guard let metadata = catalog.snapshot[index] else { throw .indexNotFound(index) }
        let document = try lookupDocument(metadata, id: id, withSource: sourceFilter.fetch)
        let body = try SearchEngine.convert(dataPath: dataPath) { try Self.getBody(metadata, id: id, document: document, filter: sourceFilter) }
        return EngineResponse(status: document == nil ? 404 : 200, body: body)
    }

    /// `HEAD /{index}/_doc/{id}`.
    public func exists(_ index: String, id: String) -> Bool {
        guard let metadata = catalog.snapshot[index] else { return false }
        return (try? lookupDocument(metadata, id: id, withSource: false)) != nil
    }

    /// One document by id: on a `PointReader` connection when the data is on disk, otherwise
    /// (the in-memory database of tests, which one connection owns) in a read transaction.
    private func lookupDocument(_ metadata: IndexMetadata, id: String, withSource: Bool) throws(ElasticsearchError) -> StoredDocument? {
        if let pointReader {
            return try SearchEngine.convert(dataPath: dataPath) { try pointReader.lookup(index: metadata.id, id: id, withSource: withSource) }
        }
        return try read { db, _ in try DocumentStore.lookup(db, index: metadata.id, id: id, withSource: withSource) }
    }

    /// `GET /_mget`, `GET /{index}/_mget`: one entry per requested document, errors inline.
    public func multiGet(_ request: MultiGetRequest) throws(ElasticsearchError) -> EngineResponse {
        let docs = try read { db, catalog in
            try request.items.map { item -> JSON in
                guard let metadata = catalog[item.index] else {
                    return ["_index": .string(item.index), "_type": "_doc", "_id": .string(item.id),
                            "error": ElasticsearchError.indexNotFound(item.index).body["error"]!]
                }
                return try Self.getBody(db, metadata, id: item.id, filter: item.sourceFilter)
            }
        }
        return EngineResponse(body: ["docs": .array(docs)])
    }

    static func getBody(_ db: Database, _ index: IndexMetadata, id: String, filter: SourceFilter) throws -> JSON {
        try getBody(index, id: id, document: DocumentStore.lookup(db, index: index.id, id: id, withSource: filter.fetch), filter: filter)
    }

    static func getBody(_ index: IndexMetadata, id: String, document: StoredDocument?, filter: SourceFilter) throws -> JSON {
        var body: JSONObject = ["_index": .string(index.name), "_type": "_doc", "_id": .string(id)]
        guard let document else {
            body["found"] = false
            return .object(body)
        }
        body["_version"] = .int(document.version)
        body["_seq_no"] = .int(document.seqNo)
        body["_primary_term"] = 1
        body["found"] = true
        if filter.fetch { body["_source"] = filter.apply(try parseSource(document.source)) }
        return .object(body)
    }
}
