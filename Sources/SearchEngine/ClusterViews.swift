import Foundation
import GRDB
import JSONValue

/// One row of `_cat/indices` (reference: issue 3 "Cluster-level views").
public struct IndexStats: Sendable, Equatable {
    /// `green`, or `yellow` when the index asks for replicas a single node cannot host.
    public var health: String
    public var status: String
    public var index: String
    public var uuid: String
    public var primaries: Int
    public var replicas: Int
    public var documentCount: Int
    /// Bytes of stored `_source` (the node's store size estimate).
    public var storeSize: Int

    /// `_cat/indices?format=json` row: every value a string, as ES prints them, but the sizes,
    /// which stay byte counts for the `_cat` renderer to print in the unit asked for (`bytes=`).
    public var catJSON: JSON {
        let size = JSON.int(Int64(storeSize))
        return ["health": .string(health), "status": .string(status), "index": .string(index), "uuid": .string(uuid),
                "pri": .string(String(primaries)), "rep": .string(String(replicas)),
                "docs.count": .string(String(documentCount)), "docs.deleted": "0",
                "store.size": size, "pri.store.size": size]
    }

    /// ES's `ByteSizeValue` rendering: `208b`, `5.2kb`, `1mb` (one decimal, `.0` dropped).
    public static func humanSize(_ bytes: Int) -> String {
        let units = ["b", "kb", "mb", "gb", "tb"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes)b" }
        var text = String(format: "%.1f", value)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text + units[unit]
    }
}

extension SearchEngine {
    /// Stats of the indices an expression names (all by default), sorted by name.
    public func indexStats(_ expression: String = "_all") throws(ElasticsearchError) -> [IndexStats] {
        let names = try resolveIndices(expression)
        return try read { db, catalog in
            try names.compactMap { name -> IndexStats? in
                guard let index = catalog[name] else { return nil }
                let row = try Row.fetchOne(db, sql: "SELECT count(*), total(length(source)) FROM docs WHERE rowid BETWEEN ? AND ?",
                                           arguments: [index.rowidRange.lowerBound, index.rowidRange.upperBound])
                return IndexStats(health: index.numberOfReplicas > 0 ? "yellow" : "green", status: "open", index: name, uuid: index.uuid,
                                  primaries: index.numberOfShards, replicas: index.numberOfReplicas,
                                  documentCount: row?[0] ?? 0, storeSize: Int((row?[1] as Double?) ?? 0))
            }
        }
    }
}
