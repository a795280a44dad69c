import Foundation
import JSONValue
import SearchEngine

/// `GET /_nodes/stats` (`client.nodes.stats()`), with ES 7.10's node and metric filters
/// (`/_nodes/{nodes}/stats/{metrics}/{index_metrics}`).
///
/// Sections with figures behind them: `indices` (`docs` and `store` over every index, the two
/// index metrics this store keeps), `os` (CPU, load averages, memory, swap), `process` (file
/// descriptors, CPU, virtual memory) and `fs` (the data path's file system). The other metric
/// names ES accepts are accepted without a section, as in `NodesInfo`; so are index metrics
/// this store does not count (`indexing`, `search`, ...). Unknown names get ES's 400.
extension ElasticAPI {
    static let nodeStatsMetrics: Set<String> = ["indices", "os", "process", "jvm", "thread_pool", "fs", "transport", "http", "breaker",
                                                "script", "discovery", "ingest", "adaptive_selection", "script_cache", "indexing_pressure"]
    static let nodeIndexMetrics: Set<String> = ["docs", "store", "indexing", "get", "search", "merge", "refresh", "flush", "warmer",
                                                "query_cache", "fielddata", "completion", "segments", "translog", "request_cache",
                                                "recovery", "bulk"]

    func nodesStats(_ nodeFilter: String, metrics: String?, indexMetrics: String?, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        // RestNodesStatsAction's checks, in its order.
        let names = Set(Self.list(metrics ?? "_all"))
        if names.count > 1 && names.contains("_all") {
            throw .illegalArgument("request [\(request.path)] contains _all and individual metrics [\(metrics ?? "")]")
        }
        let unknown = names.subtracting(Self.nodeStatsMetrics).subtracting(["_all"])
        if !unknown.isEmpty { throw .illegalArgument(Self.unrecognized(request, unknown, candidates: Self.nodeStatsMetrics, detail: "metric")) }
        let wanted = names.contains("_all") ? Self.nodeStatsMetrics : names
        var indexWanted = Self.nodeIndexMetrics
        if let indexMetrics {
            if names.contains("_all") {
                throw .illegalArgument("request [\(request.path)] contains index metrics [\(indexMetrics)] but all stats requested")
            }
            guard wanted.contains("indices") else {
                throw .illegalArgument("request [\(request.path)] contains index metrics [\(indexMetrics)] but indices stats not requested")
            }
            let asked = Set(Self.list(indexMetrics))
            let unknownIndex = asked.subtracting(Self.nodeIndexMetrics).subtracting(["_all"])
            if !unknownIndex.isEmpty {
                throw .illegalArgument(Self.unrecognized(request, unknownIndex, candidates: Self.nodeIndexMetrics, detail: "index metric"))
            }
            if !asked.contains("_all") { indexWanted = asked }
        }
        guard selectsThisNode(nodeFilter) else { return .json(nodesEnvelope([:])) }
        let now = JSON.int(Int64(Date().timeIntervalSince1970 * 1000))
        var entry = nodeStatsHeader(timestamp: now)
        if wanted.contains("indices") {
            let stats = (try? engine.indexStats()) ?? []
            var indices = JSONObject()
            if indexWanted.contains("docs") {
                indices["docs"] = ["count": .int(Int64(stats.map(\.documentCount).reduce(0, +))), "deleted": 0]
            }
            if indexWanted.contains("store") {
                indices["store"] = ["size_in_bytes": .int(Int64(stats.map(\.storeSize).reduce(0, +))), "reserved_in_bytes": 0]
            }
            entry["indices"] = .object(indices)
        }
        if wanted.contains("os") { entry["os"] = osStats(now) }
        if wanted.contains("process") { entry["process"] = processStats(now) }
        if wanted.contains("fs"), let disk = NodeProbe.fileSystem(node.dataPath) {
            let sizes: JSONObject = ["total_in_bytes": .int(Int64(disk.total)), "free_in_bytes": .int(Int64(disk.free)),
                                     "available_in_bytes": .int(Int64(disk.available))]
            var data: JSONObject = ["path": .string(node.dataPath)]
            for (key, value) in sizes { data[key] = value }
            entry["fs"] = ["timestamp": now, "total": .object(sizes), "data": [.object(data)]]
        }
        return .json(nodesEnvelope([node.nodeID: .object(entry)]))
    }

    private func osStats(_ now: JSON) -> JSON {
        let resources = HostResources.current()
        let memory = HostResources.meminfo()
        var cpu: JSONObject = ["percent": .int(Int64(resources.cpuPercent ?? -1))]
        if let load = resources.load { cpu["load_average"] = ["1m": .double(load.0), "5m": .double(load.1), "15m": .double(load.2)] }
        var os: JSONObject = ["timestamp": now, "cpu": .object(cpu)]
        if let total = memory["MemTotal"], let free = memory["MemAvailable"] {
            os["mem"] = ["total_in_bytes": .int(Int64(total)), "free_in_bytes": .int(Int64(free)), "used_in_bytes": .int(Int64(total - free)),
                         "free_percent": .int(Int64(HostResources.percent(free, of: max(total, 1)))),
                         "used_percent": .int(Int64(HostResources.percent(total - free, of: max(total, 1))))]
        }
        if let total = memory["SwapTotal"], let free = memory["SwapFree"] {
            os["swap"] = ["total_in_bytes": .int(Int64(total)), "free_in_bytes": .int(Int64(free)), "used_in_bytes": .int(Int64(total - free))]
        }
        return .object(os)
    }

    private func processStats(_ now: JSON) -> JSON {
        var process: JSONObject = ["timestamp": now, "open_file_descriptors": .int(Int64(NodeProbe.openFileDescriptors() ?? -1)),
                                   "max_file_descriptors": .int(Int64(NodeProbe.maxFileDescriptors() ?? -1))]
        process["cpu"] = ["percent": .int(Int64(NodeProbe.processCPUPercent())), "total_in_millis": .int(NodeProbe.processCPU()?.millis ?? -1)]
        process["mem"] = ["total_virtual_in_bytes": .int(Int64(NodeProbe.virtualBytes() ?? 0))]
        return .object(process)
    }
}
