import Foundation
import GRDB
import JSONValue

/// `POST /{index}/_delete_by_query` (ES 7.10 `RestDeleteByQueryAction`): deletes every document a
/// query matches and answers with the reindex module's `BulkByScrollResponse`.
///
/// ES runs it as a scroll plus bulk deletes; here the matching and the deletes are one write
/// transaction, so it is atomic and there are never version conflicts (`conflicts=proceed`
/// changes nothing). `wait_for_completion=false` (a background task) is refused rather than
/// run in the foreground under a task id that could not be looked up.
extension SearchEngine {
    /// `parameters`: `q`/`df` (a query string instead of the body's query), `max_docs`, and the
    /// ones that only tune ES's batches (`scroll_size`, `slices`, `requests_per_second`,
    /// `conflicts`, `refresh`), which change nothing here.
    public func deleteByQuery(_ expression: String, body: JSON?, parameters: [String: String] = [:]) throws(ElasticsearchError) -> EngineResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        if parameters["wait_for_completion"] == "false" {
            throw .illegalArgument("wait_for_completion=false is not supported by this node: delete by query always completes before it answers")
        }
        if let text = parameters["conflicts"], text != "abort", text != "proceed" {
            throw .illegalArgument("conflicts may only be \"proceed\" or \"abort\" but was [\(text)]")
        }
        var query = Query.matchAll(boost: 1)
        var maxDocs: Int?
        if let text = parameters["max_docs"] {
            guard let number = Int(text), number > 0 else { throw .illegalArgument("[max_docs] should be positive, found [\(text)]") }
            maxDocs = number
        }
        if let object = body?.objectValue {
            for (key, value) in object {
                switch key {
                case "query": query = try Query.parse(value)
                case "max_docs":
                    guard let number = value.intValue, number > 0 else { throw .illegalArgument("[max_docs] should be positive, found [\(value.serialized())]") }
                    maxDocs = Int(number)
                default: throw .parsing("[delete_by_query] unknown field [\(key)]")
                }
            }
        }
        if let text = parameters["q"] { query = try SearchRequest.parse(body: nil, parameters: ["q": text, "df": parameters["df"] ?? "*"]).query }
        let names = try resolveIndices(expression)
        let finalQuery = query, limit = maxDocs
        let deleted = try write { db, catalog in
            let execution = try SearchExecution(db: db, targets: Self.targets(db, catalog, names, finalQuery), request: SearchRequest())
            var rowids = try Int64.fetchAll(db, sql: "SELECT d.rowid FROM docs d WHERE \(execution.whereClause.sql) ORDER BY d.rowid",
                                            arguments: StatementArguments(execution.whereClause.arguments))
            if let limit { rowids = Array(rowids.prefix(limit)) }
            for rowid in rowids {
                guard let target = execution.target(of: rowid), var index = catalog[target.index.name],
                      let row = try Row.fetchOne(db, sql: "SELECT version, seq_no, source FROM docs WHERE rowid = ?", arguments: [rowid]) else { continue }
                let document = StoredDocument(rowid: rowid, version: row[0], seqNo: row[1], source: [UInt8](row[2] as Data))
                try DocumentStore.remove(db, index, document)
                index.nextSeqNo += 1
                catalog[index.name] = index
            }
            return rowids.count
        }
        return EngineResponse(body: [
            "took": .int(Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)), "timed_out": false,
            "total": .int(Int64(deleted)), "deleted": .int(Int64(deleted)), "batches": .int(deleted == 0 ? 0 : 1),
            "version_conflicts": 0, "noops": 0, "retries": ["bulk": 0, "search": 0], "throttled_millis": 0,
            "requests_per_second": -1.0, "throttled_until_millis": 0, "failures": [],
        ])
    }
}
