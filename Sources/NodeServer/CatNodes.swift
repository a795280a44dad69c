import Foundation
import JSONValue
import SearchEngine
import SecurityEngine

/// `_cat/nodes` and `_cat/plugins`: the first two commands of most Open Distro and OpenSearch
/// install guides (`curl ... https://localhost:9200/_cat/nodes?v`, `.../_cat/plugins?v`).
/// One node, holding every role and elected master of its single-node cluster.
///
/// Columns and order are ES 7.10's `RestNodesAction` defaults for the Open Distro flavor and
/// OpenSearch 2.x's for the OpenSearch flavor, which renamed `master` to `cluster_manager` and
/// added `node.roles`; both names are accepted in `h=`. The figures come from `HostResources`.
extension ElasticAPI {
    /// `GET /_cat/nodes`.
    func catNodes(_ request: ElasticRequest) -> NodeResponse {
        let resources = HostResources.current()
        func cell(_ value: Int?) -> JSON { value.map { .string(String($0)) } ?? .null }
        func load(_ value: Double?) -> JSON { value.map { .string(String(format: "%.2f", $0)) } ?? .null }
        let row: JSONObject = [
            "ip": .string(node.hostAddress), "heap.percent": cell(resources.heapPercent), "ram.percent": cell(resources.ramPercent),
            "cpu": cell(resources.cpuPercent), "load_1m": load(resources.load?.0), "load_5m": load(resources.load?.1),
            "load_15m": load(resources.load?.2), "node.role": "dimr", "node.roles": .string(Self.roles(node.flavor).joined(separator: ",")),
            "master": "*", "cluster_manager": "*", "name": .string(node.nodeName),
        ]
        let defaults = switch node.flavor {
        case .openDistro: ["ip", "heap.percent", "ram.percent", "cpu", "load_1m", "load_5m", "load_15m", "node.role", "master", "name"]
        case .openSearch: ["ip", "heap.percent", "ram.percent", "cpu", "load_1m", "load_5m", "load_15m", "node.role", "node.roles", "cluster_manager", "name"]
        }
        return cat([row], defaults: defaults, rightAligned: ["heap.percent", "ram.percent", "cpu", "load_1m", "load_5m", "load_15m"], request)
    }

    /// `GET /_cat/plugins`: the security plugin this node stands in for.
    func catPlugins(_ request: ElasticRequest) -> NodeResponse {
        let (component, version) = Self.securityPlugin(node.flavor)
        let row: JSONObject = ["name": .string(node.nodeName), "component": .string(component), "version": .string(version)]
        return cat([row], defaults: ["name", "component", "version"], rightAligned: [], request)
    }

    /// The security plugin this node stands in for: its name and version.
    static func securityPlugin(_ flavor: Flavor) -> (name: String, version: String) {
        switch flavor {
        case .openDistro: ("opendistro_security", "1.13.1.0")
        case .openSearch: ("opensearch-security", "2.19.0.0")
        }
    }

    /// The role names of a node that holds them all (`node.roles`, sorted as OpenSearch lists them).
    static func roles(_ flavor: Flavor) -> [String] {
        switch flavor {
        case .openDistro: ["data", "ingest", "master", "remote_cluster_client"]
        case .openSearch: ["cluster_manager", "data", "ingest", "remote_cluster_client"]
        }
    }
}
