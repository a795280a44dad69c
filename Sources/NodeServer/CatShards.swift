import Foundation
import JSONValue
import SearchEngine

/// `_cat/shards`, `_cat/master`, `_cat/allocation` and the `GET /_cat` index of the `_cat`
/// endpoints (ES 7.10's `RestShardsAction`, `RestMasterAction`, `RestAllocationAction`,
/// `RestCatAction`).
///
/// One node holds every primary, started; no replica can be assigned, so each wanted replica
/// is a `r UNASSIGNED` row with empty placement columns, and `_cat/allocation` adds ES's
/// `UNASSIGNED` row counting them. The store keeps an index's documents together, not split
/// by shard: an index of several shards shows its documents and size on shard 0.
extension ElasticAPI {
    /// The `_cat` endpoints this node serves, as `GET /_cat` lists them.
    static let catEndpoints = ["/_cat/allocation", "/_cat/shards", "/_cat/shards/{index}", "/_cat/master", "/_cat/nodes", "/_cat/templates", "/_cat/aliases",
                               "/_cat/indices", "/_cat/indices/{index}", "/_cat/count", "/_cat/count/{index}", "/_cat/health",
                               "/_cat/plugins"]

    /// `GET /_cat`.
    func catIndex() -> NodeResponse {
        NodeResponse(body: .text("=^.^=\n" + Self.catEndpoints.map { $0 + "\n" }.joined()))
    }

    /// `GET /_cat/shards[/{index}]`.
    func catShards(_ expression: String, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        var rows: [JSONObject] = []
        for index in try engine.indexStats(expression) {
            for shard in 0..<index.primaries {
                let first = shard == 0
                rows.append(["index": .string(index.index), "shard": .string(String(shard)), "prirep": "p", "state": "STARTED",
                             "docs": .string(String(first ? index.documentCount : 0)),
                             "store": .int(Int64(first ? index.storeSize : 0)),
                             "ip": .string(node.hostAddress), "node": .string(node.nodeName)])
                for _ in 0..<index.replicas {
                    rows.append(["index": .string(index.index), "shard": .string(String(shard)), "prirep": "r", "state": "UNASSIGNED"])
                }
            }
        }
        return cat(rows, defaults: ["index", "shard", "prirep", "state", "docs", "store", "ip", "node"],
                   rightAligned: ["shard", "docs", "store"], request)
    }

    /// `GET /_cat/master`: this node, the elected master of its cluster.
    func catMaster(_ request: ElasticRequest) -> NodeResponse {
        let row: JSONObject = ["id": .string(node.nodeID), "host": .string(node.hostAddress), "ip": .string(node.hostAddress),
                               "node": .string(node.nodeName)]
        return cat([row], defaults: ["id", "host", "ip", "node"], rightAligned: [], request)
    }

    /// `GET /_cat/allocation`: the shards on this node and the data path's disk.
    func catAllocation(_ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        let stats = try engine.indexStats()
        var row: JSONObject = ["shards": .string(String(stats.map(\.primaries).reduce(0, +))),
                               "disk.indices": .int(Int64(stats.map(\.storeSize).reduce(0, +))),
                               "host": .string(node.hostAddress), "ip": .string(node.hostAddress), "node": .string(node.nodeName)]
        if let disk = NodeProbe.fileSystem(node.dataPath), disk.total > 0 {
            let used = disk.total - disk.available
            row["disk.used"] = .int(Int64(used))
            row["disk.avail"] = .int(Int64(disk.available))
            row["disk.total"] = .int(Int64(disk.total))
            row["disk.percent"] = .string(String(used * 100 / disk.total))  // truncated, as ES's (short) cast
        }
        var rows = [row]
        let unassigned = stats.map { $0.primaries * $0.replicas }.reduce(0, +)
        if unassigned > 0 { rows.append(["shards": .string(String(unassigned)), "node": "UNASSIGNED"]) }
        return cat(rows, defaults: ["shards", "disk.indices", "disk.used", "disk.avail", "disk.total", "disk.percent", "host", "ip", "node"],
                   rightAligned: ["shards", "disk.indices", "disk.used", "disk.avail", "disk.total", "disk.percent"], request)
    }
}
