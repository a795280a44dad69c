import Foundation
import GRDB
import JSONValue

/// `POST /_reindex` (ES 7.10's reindex module, local source only): copies the documents a
/// query matches from source indices into a destination index, ids kept, and answers with the
/// module's `BulkByScrollResponse`.
///
/// Documents are copied in `_doc` order in batches of `source.size` (default 1000), all in one
/// write transaction. A destination missing an index is created as any first write creates one
/// (templates apply). `dest.op_type: create` makes existing ids version conflicts: they abort
/// the copy with their failures (status 409) unless `conflicts: proceed`, which counts them
/// and goes on. Scripts, remote sources and background tasks are refused, never half-served.
public struct ReindexRequest: Sendable {
    public var sourceIndices: [String] = []
    public var query = Query.matchAll(boost: 1)
    public var sourceFilter = SourceFilter()
    public var batchSize = 1000
    public var maxDocs: Int?
    public var destination = ""
    public var createOnly = false
    public var proceedOnConflicts = false

    public init(body: JSON?, parameters: [String: String] = [:]) throws(ElasticsearchError) {
        try BulkByScroll.refuseBackgroundTask(parameters, "reindex")
        guard let object = body?.objectValue else { throw ElasticsearchError(status: 400, type: "parse_exception", reason: "request body is required") }
        for (key, value) in object {
            switch key {
            case "source": try readSource(value)
            case "dest": try readDestination(value)
            case "conflicts": proceedOnConflicts = try BulkByScroll.proceedsOnConflicts(value)
            case "max_docs", "size": maxDocs = try BulkByScroll.maxDocs(value)
            case "script": throw .illegalArgument("reindex scripts are not supported by this node; documents are copied as they are")
            default: throw .parsing("[reindex] unknown field [\(key)]")
            }
        }
        if let text = parameters["max_docs"] { maxDocs = try BulkByScroll.maxDocs(.string(text)) }
        var errors: [String] = []
        if sourceIndices.isEmpty { errors.append("use _all if you really want to copy from all existing indexes") }
        if destination.isEmpty { errors.append("index must be specified") }
        if !errors.isEmpty { throw .actionValidation(errors) }
    }

    private mutating func readSource(_ json: JSON) throws(ElasticsearchError) {
        guard let object = json.objectValue else { throw .parsing("[reindex] [source] must be an object") }
        for (key, value) in object {
            switch key {
            case "index":
                sourceIndices = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { $0.split(separator: ",").map(String.init) } ?? []
            case "query": query = try Query.parse(value)
            case "_source": sourceFilter = try SourceFilter(parsing: value)
            case "size":
                guard let number = value.intValue, number > 0 else { throw .illegalArgument("[size] must be positive, found [\(value.serialized())]") }
                batchSize = Int(number)
            case "remote": throw .illegalArgument("reindex from a remote cluster is not supported by this node")
            case "sort": throw .illegalArgument("[sort] in a reindex source is not supported by this node; documents are copied in _doc order")
            default: throw .parsing("[reindex] [source] unknown field [\(key)]")
            }
        }
    }

    private mutating func readDestination(_ json: JSON) throws(ElasticsearchError) {
        guard let object = json.objectValue else { throw .parsing("[reindex] [dest] must be an object") }
        for (key, value) in object {
            switch key {
            case "index": destination = value.stringValue ?? ""
            case "op_type":
                guard let text = value.stringValue, text == "index" || text == "create" else {
                    throw .illegalArgument("opType must be 'create' or 'index', found: [\(value.stringValue ?? value.serialized())]")
                }
                createOnly = text == "create"
            case "version_type":
                guard value.stringValue == "internal" else { throw .illegalArgument("[version_type] other than internal is not supported by this node") }
            case "pipeline": throw .illegalArgument("ingest pipelines are not supported by this node")
            default: throw .parsing("[reindex] [dest] unknown field [\(key)]")
            }
        }
    }
}

extension SearchEngine {
    /// Runs a checked `ReindexRequest`; `refused`, when set, is the security refusal of the
    /// destination writes, which fails the first batch as ES's bulk would.
    public func reindex(_ request: ReindexRequest, refused: ElasticsearchError? = nil) throws(ElasticsearchError) -> EngineResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let names = try resolveIndices(request.sourceIndices.joined(separator: ","))
        if names.contains(request.destination) {
            throw .actionValidation(["reindex cannot write into an index its reading from [\(request.destination)]"])
        }
        let tally = try write(refreshingFirst: true) { db, catalog in
            let rowids = try BulkByScroll.matches(db, catalog, names, request.query, limit: request.maxDocs).rowids
            return try Self.copy(db, &catalog, rowids, request, refused: refused)
        }
        return EngineResponse(status: tally.status, body: BulkByScroll.body(tally, started: started, showing: ["updated", "created"]))
    }

    private static func copy(_ db: Database, _ catalog: inout [String: IndexMetadata], _ rowids: [Int64], _ request: ReindexRequest,
                             refused: ElasticsearchError?) throws -> BulkByScroll.Tally {
        var tally = BulkByScroll.Tally(total: rowids.count)
        for batch in stride(from: 0, to: rowids.count, by: request.batchSize) {
            tally.batches += 1
            let slice = rowids[batch..<min(batch + request.batchSize, rowids.count)]
            for rowid in slice {
                guard let row = try Row.fetchOne(db, sql: "SELECT doc_id, source FROM docs WHERE rowid = ?", arguments: [rowid]) else { continue }
                let id: String = row[0]
                if let refused {
                    tally.fail(index: request.destination, id: id, refused)
                    continue
                }
                var source = [UInt8](row[1] as Data)
                if !request.sourceFilter.includes.isEmpty || !request.sourceFilter.excludes.isEmpty {
                    source = request.sourceFilter.apply(try parseSource(source)).serializedBytes()
                }
                do {
                    let result = try performIndex(db, &catalog, index: request.destination, id: id, autoGenerated: false, source: source,
                                                  content: .json(try parseSource(source)), opType: request.createOnly ? .create : .index, condition: nil)
                    if result.result == "created" { tally.created += 1 } else { tally.updated += 1 }
                } catch let error as ElasticsearchError where error.status == 409 {
                    tally.conflicts += 1
                    if !request.proceedOnConflicts { tally.fail(index: request.destination, id: id, error) }
                }
            }
            // The module stops after a batch with failures.
            if !tally.failures.isEmpty { break }
        }
        return tally
    }
}
