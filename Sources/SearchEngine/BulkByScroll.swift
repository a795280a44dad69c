import Foundation
import GRDB
import JSONValue

/// What `_delete_by_query`, `_update_by_query` and `_reindex` share (ES 7.10's reindex module):
/// the request options they read alike, the documents a query matches in `_doc` order, and the
/// `BulkByScrollResponse` they answer with.
enum BulkByScroll {
    /// `wait_for_completion=false` asks for a background task, which this node does not run.
    static func refuseBackgroundTask(_ parameters: [String: String], _ name: String) throws(ElasticsearchError) {
        if parameters["wait_for_completion"] == "false" {
            throw .illegalArgument("wait_for_completion=false is not supported by this node: \(name) always completes before it answers")
        }
    }

    /// `conflicts`: `abort` (false) or `proceed` (true).
    static func proceedsOnConflicts(_ text: String) throws(ElasticsearchError) -> Bool {
        guard text == "abort" || text == "proceed" else { throw .illegalArgument("conflicts may only be \"proceed\" or \"abort\" but was [\(text)]") }
        return text == "proceed"
    }

    static func proceedsOnConflicts(_ value: JSON) throws(ElasticsearchError) -> Bool {
        try proceedsOnConflicts(value.stringValue ?? value.serialized())
    }

    /// `max_docs` from the body (a number) or the URL (text).
    static func maxDocs(_ value: JSON) throws(ElasticsearchError) -> Int {
        guard let number = value.intValue ?? value.stringValue.flatMap({ Int64($0) }), number > 0 else {
            throw .illegalArgument("[max_docs] should be positive, found [\(value.stringValue ?? value.serialized())]")
        }
        return Int(number)
    }

    /// The documents of `names` that `query` matches, in `_doc` order, at most `limit`.
    static func matches(_ db: Database, _ catalog: [String: IndexMetadata], _ names: [String], _ query: Query,
                        limit: Int?) throws -> (execution: SearchExecution, rowids: [Int64]) {
        let execution = try SearchExecution(db: db, targets: SearchEngine.targets(db, catalog, names, query), request: SearchRequest())
        let rowids = try Int64.fetchAll(db, sql: "SELECT d.rowid FROM docs d WHERE \(execution.whereClause.sql) ORDER BY d.rowid",
                                        arguments: StatementArguments(execution.whereClause.arguments))
        return (execution, limit.map { Array(rowids.prefix($0)) } ?? rowids)
    }

    /// The counts of a run and what failed in it; the response status is the worst failure's.
    struct Tally {
        var total = 0, updated = 0, created = 0, deleted = 0, batches = 0, conflicts = 0
        var failures: [JSON] = []
        var status = 200

        mutating func fail(index: String, id: String, _ error: ElasticsearchError) {
            failures.append(["index": .string(index), "type": "_doc", "id": .string(id), "cause": error.itemErrorObject, "status": .int(Int64(error.status))])
            status = max(status, error.status)
        }
    }

    /// The response body; `updated` and `created` appear only for the actions that print them
    /// (`include_updated`/`include_created` of each REST handler).
    static func body(_ tally: Tally, started: UInt64, showing shown: Set<String>) -> JSON {
        var body: JSONObject = ["took": .int(Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)), "timed_out": false,
                                "total": .int(Int64(tally.total))]
        if shown.contains("updated") { body["updated"] = .int(Int64(tally.updated)) }
        if shown.contains("created") { body["created"] = .int(Int64(tally.created)) }
        for (key, value) in [("deleted", JSON.int(Int64(tally.deleted))), ("batches", .int(Int64(tally.batches))),
                             ("version_conflicts", .int(Int64(tally.conflicts))), ("noops", 0), ("retries", ["bulk": 0, "search": 0]),
                             ("throttled_millis", 0), ("requests_per_second", -1.0), ("throttled_until_millis", 0),
                             ("failures", .array(tally.failures))] as [(String, JSON)] {
            body[key] = value
        }
        return .object(body)
    }
}
