import JSONValue

/// `GET /_cluster/health[/{index}]` of this one-node cluster (ES 7.10's `ClusterHealthResponse`).
///
/// Every primary shard is active on the one node and no replica can ever be assigned, so an
/// index is `green` with `number_of_replicas: 0` and `yellow` otherwise; the cluster takes the
/// worst of its indices. Naming indices restricts all figures to them; a named index that does
/// not exist makes the status `red` (ES treats it so, and keeps waiting for it to appear —
/// the waiting is the caller's, see `HealthWait`). `level` adds an `indices` section, and for
/// `shards` each index's shards.
extension SearchEngine {
    public enum HealthLevel: String, Sendable { case cluster, indices, shards }

    public func clusterHealth(clusterName: String, indices expression: String? = nil, level: HealthLevel = .cluster) -> EngineResponse {
        let catalog = catalog.snapshot
        var selected = Array(catalog.values)
        var missing = false
        if let expression, expression != "_all" {
            let names = (try? resolveIndices(expression, ignoreUnavailable: true)) ?? []
            selected = names.compactMap { catalog[$0] }
            missing = (try? resolveIndices(expression)) == nil
        }
        selected.sort { $0.name < $1.name }
        let primaries = selected.map(\.numberOfShards).reduce(0, +)
        let unassigned = selected.map { $0.numberOfShards * $0.numberOfReplicas }.reduce(0, +)
        let status = missing ? "red" : unassigned > 0 ? "yellow" : "green"
        // ClusterStateHealth: 100 when green, else active over all shard copies of the cluster
        // (not only the named indices); Java's 0/0 prints as the string "NaN".
        let everyCopy = catalog.values.map { $0.numberOfShards * (1 + $0.numberOfReplicas) }.reduce(0, +)
        let everyActive = catalog.values.map(\.numberOfShards).reduce(0, +)
        let percent: JSON = status == "green" ? 100.0 : everyCopy == 0 ? "NaN" : .double(Double(everyActive) * 100 / Double(everyCopy))
        var body: JSONObject = [
            "cluster_name": .string(clusterName), "status": .string(status), "timed_out": false,
            "number_of_nodes": 1, "number_of_data_nodes": 1,
            "active_primary_shards": .int(Int64(primaries)), "active_shards": .int(Int64(primaries)),
            "relocating_shards": 0, "initializing_shards": 0, "unassigned_shards": .int(Int64(unassigned)),
            "delayed_unassigned_shards": 0, "number_of_pending_tasks": 0, "number_of_in_flight_fetch": 0,
            "task_max_waiting_in_queue_millis": 0, "active_shards_percent_as_number": percent,
        ]
        if level != .cluster {
            body["indices"] = .object(JSONObject(selected.map { ($0.name, Self.indexHealth($0, shards: level == .shards)) }))
        }
        return EngineResponse(body: .object(body))
    }

    private static func indexHealth(_ index: IndexMetadata, shards: Bool) -> JSON {
        let status: JSON = index.numberOfReplicas > 0 ? "yellow" : "green"
        var health: JSONObject = [
            "status": status, "number_of_shards": .int(Int64(index.numberOfShards)), "number_of_replicas": .int(Int64(index.numberOfReplicas)),
            "active_primary_shards": .int(Int64(index.numberOfShards)), "active_shards": .int(Int64(index.numberOfShards)),
            "relocating_shards": 0, "initializing_shards": 0,
            "unassigned_shards": .int(Int64(index.numberOfShards * index.numberOfReplicas)),
        ]
        if shards {
            health["shards"] = .object(JSONObject((0..<index.numberOfShards).map { shard in
                (String(shard), ["status": status, "primary_active": true, "active_shards": 1, "relocating_shards": 0,
                                 "initializing_shards": 0, "unassigned_shards": .int(Int64(index.numberOfReplicas))] as JSON)
            }))
        }
        return .object(health)
    }
}
