import Foundation
import JSONValue
import SearchEngine
import SecurityEngine

/// `GET /_nodes` and its node and metric filters (ES 7.10's `RestNodesInfoAction`), the call
/// `sniff_on_start` makes in elasticsearch-py and opensearch-py (`/_nodes/_all/http`) and
/// the one behind `client.nodes.info()`.
///
/// One node answers, holding every role. Sections: `settings` (the node's own: cluster and
/// node name, `network.host`, `http.port`, `path.data`), `os`, `process`, `http` (bound and
/// publish address with the port the server really bound, so a sniffing client reconnects to
/// this node) and `plugins` (the security plugin; no modules). The other metric names ES
/// accepts (`jvm`, `thread_pool`, `transport`, `ingest`, `aggregations`, `indices`) are
/// accepted and have no section: there is no JVM, thread pool, ingest pipeline or transport
/// layer behind this node. `transport_address` still names the transport port a node of the
/// plugin's configuration would publish (`transport.port`'s default, 9300), as every node
/// entry must carry one.
extension ElasticAPI {
    static let nodeInfoMetrics: Set<String> = ["settings", "os", "process", "jvm", "thread_pool", "transport", "http", "plugins",
                                               "ingest", "aggregations", "indices"]

    /// Everything after `_nodes`: `[]`, `[nodes or metrics]`, `[nodes, metrics]`, `[nodes, "info", metrics]`,
    /// and the `stats` forms (`NodesStats`).
    func nodes(_ rest: ArraySlice<String>, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        let parts = Array(rest)
        if let stats = parts.firstIndex(of: "stats"), stats <= 1 {
            let nodeFilter = stats == 1 ? parts[0] : "_all"
            let metrics = parts.count > stats + 1 ? parts[stats + 1] : nil
            let indexMetrics = parts.count > stats + 2 ? parts[stats + 2] : nil
            guard parts.count <= stats + 3 else { throw noHandler(request) }
            return try nodesStats(nodeFilter, metrics: metrics, indexMetrics: indexMetrics, request)
        }
        switch parts.count {
        case 0: return try nodesInfo("_all", metrics: nil, request)
        case 1:
            // ES reads a lone segment as metrics when every name in it is one.
            let names = Self.list(parts[0])
            return names.allSatisfy(Self.nodeInfoMetrics.contains) ? try nodesInfo("_all", metrics: parts[0], request)
                                                                   : try nodesInfo(parts[0], metrics: nil, request)
        case 2: return try nodesInfo(parts[0], metrics: parts[1], request)
        case 3 where parts[1] == "info": return try nodesInfo(parts[0], metrics: parts[2], request)
        default: throw noHandler(request)
        }
    }

    /// Unknown metric names are dropped, not refused (`metrics.retainAll(ALLOWED_METRICS)`).
    private func nodesInfo(_ nodeFilter: String, metrics: String?, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        let wanted = metrics.flatMap { $0 == "_all" ? nil : Set(Self.list($0)) } ?? Self.nodeInfoMetrics
        guard selectsThisNode(nodeFilter) else { return .json(nodesEnvelope([:])) }
        var entry = nodeHeader()
        if wanted.contains("settings") { entry["settings"] = .object(nodeSettings) }
        if wanted.contains("os") {
            entry["os"] = ["refresh_interval_in_millis": 1000, "name": "Linux", "pretty_name": .string(NodeProbe.prettyName()),
                           "arch": .string(NodeProbe.architecture()), "version": .string(NodeProbe.kernelRelease()),
                           "available_processors": .int(Int64(ProcessInfo.processInfo.activeProcessorCount)),
                           "allocated_processors": .int(Int64(ProcessInfo.processInfo.activeProcessorCount))]
        }
        if wanted.contains("process") {
            entry["process"] = ["refresh_interval_in_millis": 1000, "id": .int(Int64(getpid())), "mlockall": false]
        }
        if wanted.contains("http") {
            let port = node.httpPort.value
            entry["http"] = ["bound_address": [.string("\(Self.boundHost(node.bindHost)):\(port)")],
                             "publish_address": .string("\(node.hostAddress):\(port)"),
                             "max_content_length_in_bytes": .int(Int64(node.maxContentLength))]
        }
        if wanted.contains("plugins") {
            entry["plugins"] = [.object(securityPlugin)]
            entry["modules"] = []
        }
        return .json(nodesEnvelope([node.nodeID: .object(entry)]))
    }

    /// The fields a node entry of `_nodes` starts with (`NodesInfoResponse`); `attributes`
    /// only when the node has some, and this one has none.
    private func nodeHeader() -> JSONObject {
        var entry: JSONObject = ["name": .string(node.nodeName), "transport_address": .string("\(node.hostAddress):9300"),
                                 "host": .string(node.hostAddress), "ip": .string(node.hostAddress)]
        entry["version"] = .string(RootInfo.versionNumber(node.flavor))
        if node.flavor == .openDistro { entry["build_flavor"] = "oss" }
        entry["build_type"] = "tar"
        entry["build_hash"] = .string(RootInfo.buildHash(node.flavor))
        entry["roles"] = .array(Self.roles(node.flavor).map(JSON.string))
        return entry
    }

    /// The fields a node entry of `_nodes/stats` starts with (`NodesStatsResponse` then
    /// `NodeStats`): the timestamp, and `ip` as the transport address, no version or build.
    func nodeStatsHeader(timestamp: JSON) -> JSONObject {
        let transport = JSON.string("\(node.hostAddress):9300")
        return ["timestamp": timestamp, "name": .string(node.nodeName), "transport_address": transport, "host": .string(node.hostAddress),
                "ip": transport, "roles": .array(Self.roles(node.flavor).map(JSON.string))]
    }

    /// `{"_nodes": {...}, "cluster_name": ..., "nodes": {...}}`.
    func nodesEnvelope(_ nodes: JSONObject) -> JSON {
        let count = JSON.int(Int64(nodes.count))
        return ["_nodes": ["total": count, "successful": count, "failed": 0], "cluster_name": .string(node.clusterName), "nodes": .object(nodes)]
    }

    /// ES's node selectors for a one-node cluster: `_all`, `_local`, `_master` (and OpenSearch's
    /// `_cluster_manager`), the node id, name (with `*` wildcards) or address, and role filters
    /// such as `master:true` or `data:false`; a comma list selects the node if any entry does.
    func selectsThisNode(_ filter: String) -> Bool {
        Self.list(filter).contains { selector in
            if ["_all", "*", "_local", "_master", "_cluster_manager"].contains(selector) { return true }
            if selector == node.nodeID || selector == node.hostAddress || IndexName.matches(node.nodeName, pattern: selector) { return true }
            let pair = selector.split(separator: ":", maxSplits: 1).map(String.init)
            if pair.count == 2, let wanted = Bool(pair[1]) {
                let role = pair[0] == "master" && node.flavor == .openSearch ? "cluster_manager" : pair[0]
                return Self.roles(node.flavor).contains(role) == wanted
            }
            return false
        }
    }

    static func list(_ segment: String) -> [String] {
        segment.split(separator: ",").map(String.init)
    }

    private var nodeSettings: JSONObject {
        ["cluster": ["name": .string(node.clusterName)], "node": ["name": .string(node.nodeName)],
         "network": ["host": .string(node.bindHost)], "http": ["port": .string(String(node.httpPort.value))],
         "path": ["data": [.string(node.dataPath)]]]
    }

    private var securityPlugin: JSONObject {
        let (name, version) = Self.securityPlugin(node.flavor)
        switch node.flavor {
        case .openDistro:
            return ["name": .string(name), "version": .string(version), "elasticsearch_version": .string(RootInfo.versionNumber(.openDistro)), "java_version": "1.8",
             "description": "Provide access control related features for Elasticsearch 7",
             "classname": "com.amazon.opendistroforelasticsearch.security.OpenDistroSecurityPlugin",
             "extended_plugins": [], "has_native_controller": false]
        case .openSearch:
            return ["name": .string(name), "version": .string(version), "opensearch_version": .string(RootInfo.versionNumber(.openSearch)), "java_version": "11",
             "description": "Provide access control related features for OpenSearch",
             "classname": "org.opensearch.security.OpenSearchSecurityPlugin", "custom_foldername": "opensearch-security",
             "extended_plugins": [], "has_native_controller": false]
        }
    }

    /// The address the HTTP layer binds, as ES prints it: a loopback name is 127.0.0.1, a
    /// wildcard bind the IPv4 wildcard.
    private static func boundHost(_ host: String) -> String {
        switch host {
        case "localhost", "_local_", "_local:ipv4_": "127.0.0.1"
        case "", "_site_", "_global_", "_site:ipv4_", "_global:ipv4_": "0.0.0.0"
        default: host
        }
    }
}
