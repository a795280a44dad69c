import PKI

/// REST route → transport action names (reference §5), as data shared by the node and tests.
///
/// Given method and path, ``RestActionTable/lookup(method:path:)`` returns the actions the
/// security filter evaluates and the requested index expressions. How the node must check them
/// is in ``RestAction/Check``.
public struct RestAction: Sendable, Equatable {
    public enum Check: Sendable, Equatable {
        /// Every action in order with ``SecurityService/authorize(_:action:indices:existingIndices:)``.
        case actions
        /// A single-document write: the index-level action, then the bulk path with this item
        /// (``SecurityService/authorizeBulk(_:items:)``), as `TransportSingleItemBulkWriteAction` does.
        case singleDocumentWrite(BulkItem.Operation)
        /// `_bulk`: the cluster-level action, then per item from the body.
        case bulk
        /// `_msearch`: the cluster-level action, then `indices:data/read/search` for each
        /// search of the body on its own indices (a refused one fails alone).
        case multiSearch
        /// `_reindex`: the cluster-level action; the node then checks the search on the source
        /// and the writes into the destination as the reindex module's child requests.
        case reindex
        /// A security-plugin endpoint (`/_opendistro/_security/...`, `/_plugins/_security/...`),
        /// handled by ``SecurityRestAPI``.
        case securityPlugin
    }

    public var actions: [String]
    public var indices: [String]
    public var check: Check

    public init(actions: [String], indices: [String] = [], check: Check = .actions) {
        self.actions = actions
        self.indices = indices
        self.check = check
    }

    /// The same route with byte-for-byte equal names (`==` compares them up to canonical
    /// equivalence, which the index patterns do not).
    public func hasSameBytes(as other: RestAction) -> Bool {
        check == other.check && actions.hasSameBytes(as: other.actions) && indices.hasSameBytes(as: other.indices)
    }
}

public enum RestActionTable {
    /// Looks up a route; `nil` for paths outside the table (the node answers those itself).
    public static func lookup(method: String, path: String) -> RestAction? {
        lookup(method: method, segments: path.split(separator: "/", omittingEmptySubsequences: true).map(String.init))
    }

    /// ``lookup(method:path:)`` for a path already split into its non-empty segments, each
    /// percent-decoded on its own — as Elasticsearch routes on the raw path and decodes path
    /// parameters afterwards, so `/movies/_doc/a%2Fb` is a document with id `a/b`.
    public static func lookup(method: String, segments: [String]) -> RestAction? {
        if segments.count >= 2, segments[0] == "_opendistro" || segments[0] == "_plugins", segments[1].hasPrefix("_security") {
            return RestAction(actions: [], check: .securityPlugin)
        }
        let read = method == "GET" || method == "HEAD"
        let getOrPost = read || method == "POST"
        func indices(_ segment: String) -> [String] { segment.split(separator: ",").map(String.init) }
        // Hot threads and usage (their own actions) are not served.
        if segments.first == "_nodes", method == "GET", segments.count <= 5,
           !segments.contains(where: { ["hot_threads", "hotthreads", "usage"].contains($0) }) {
            // RestNodesStatsAction's routes put `stats` second or third; the rest are RestNodesInfoAction's.
            let stats = segments.dropFirst().prefix(2).contains("stats")
            return RestAction(actions: [stats ? "cluster:monitor/nodes/stats" : "cluster:monitor/nodes/info"])
        }
        switch segments.count {
        case 0:
            return read ? RestAction(actions: ["cluster:monitor/main"]) : nil
        case 1:
            let first = segments[0]
            switch first {
            case "_bulk": return method == "POST" || method == "PUT" ? RestAction(actions: ["indices:data/write/bulk"], check: .bulk) : nil
            case "_search", "_count": return getOrPost ? RestAction(actions: ["indices:data/read/search"], indices: ["_all"]) : nil
            case "_template": return read ? RestAction(actions: ["indices:admin/template/get"]) : nil
            // RestCatAction prints the list of `_cat` endpoints without calling any action.
            case "_cat": return read ? RestAction(actions: []) : nil
            case "_mget": return getOrPost ? RestAction(actions: ["indices:data/read/mget"]) : nil
            case "_msearch": return getOrPost ? RestAction(actions: ["indices:data/read/msearch"], check: .multiSearch) : nil
            case "_refresh": return getOrPost ? RestAction(actions: ["indices:admin/refresh"], indices: ["_all"]) : nil
            case "_flush": return getOrPost ? RestAction(actions: ["indices:admin/flush"], indices: ["_all"]) : nil
            case "_reindex": return method == "POST" ? RestAction(actions: ["indices:data/write/reindex"], check: .reindex) : nil
            case "_forcemerge": return method == "POST" ? RestAction(actions: ["indices:admin/forcemerge"], indices: ["_all"]) : nil
            case "_stats": return method == "GET" ? RestAction(actions: ["indices:monitor/stats"], indices: ["_all"]) : nil
            case "_mapping": return method == "GET" ? RestAction(actions: ["indices:admin/mappings/get"], indices: ["_all"]) : nil
            case "_settings": return settings(method, ["_all"])
            case "_field_caps": return getOrPost ? RestAction(actions: ["indices:data/read/field_caps"], indices: ["_all"]) : nil
            default:
                // `PUT /{index}` matches any unknown first segment in ES's path trie, so
                // `PUT /_secret` reaches index creation and its invalid_index_name_exception;
                // `_all` is an index expression for get, exists and delete.
                guard !first.hasPrefix("_") || method == "PUT" || first == "_all" else { return nil }
                switch method {
                case "PUT": return RestAction(actions: ["indices:admin/create"], indices: [first])
                case "DELETE": return RestAction(actions: ["indices:admin/delete"], indices: indices(first))
                case "GET", "HEAD": return RestAction(actions: ["indices:admin/get"], indices: indices(first))
                default: return nil
                }
            }
        case 2:
            let (first, second) = (segments[0], segments[1])
            if first == "_cluster", second == "health", read { return RestAction(actions: ["cluster:monitor/health"]) }
            if first == "_cat", second == "indices", read { return catIndices(["_all"]) }
            if first == "_cat", second == "health", read { return RestAction(actions: ["cluster:monitor/health"]) }
            // `RestNodesAction` asks for the cluster state, then node infos, then node stats;
            // `RestPluginsAction` for the state, then node infos.
            if first == "_cat", second == "nodes", read {
                return RestAction(actions: ["cluster:monitor/state", "cluster:monitor/nodes/info", "cluster:monitor/nodes/stats"])
            }
            if first == "_cat", second == "plugins", read { return RestAction(actions: ["cluster:monitor/state", "cluster:monitor/nodes/info"]) }
            if first == "_cat", second == "shards", read { return catShards(["_all"]) }
            if first == "_cat", second == "templates", read { return RestAction(actions: ["cluster:monitor/state"]) }
            // Template actions are cluster permissions (`isClusterPerm`: `indices:admin/template/`).
            if first == "_template" {
                switch method {
                case "GET", "HEAD": return RestAction(actions: ["indices:admin/template/get"])
                case "PUT", "POST": return RestAction(actions: ["indices:admin/template/put"])
                case "DELETE": return RestAction(actions: ["indices:admin/template/delete"])
                default: return nil
                }
            }
            if first == "_cat", second == "master", read { return RestAction(actions: ["cluster:monitor/state"]) }
            if first == "_cat", second == "aliases", read { return RestAction(actions: ["indices:admin/aliases/get"], indices: ["_all"]) }
            // RestClusterGetSettingsAction reads the cluster state.
            if first == "_cluster", second == "settings", read { return RestAction(actions: ["cluster:monitor/state"]) }
            if first == "_cat", second == "allocation", read { return RestAction(actions: ["cluster:monitor/state", "cluster:monitor/nodes/stats"]) }
            // `_cat/count` is a size-0 search (`RestCountAction` of `_cat`).
            if first == "_cat", second == "count", read { return RestAction(actions: ["indices:data/read/search"], indices: ["_all"]) }
            // The prometheus-exporter plugin's endpoint, which the node serves (cluster monitoring).
            if first == "_prometheus", second == "metrics", method == "GET" {
                return RestAction(actions: ["cluster:monitor/prometheus/metrics"])
            }
            if first == "_search", second == "scroll" { return scroll(method) }
            // `/_all/_search` and the like: `_all` is an index expression there too.
            guard !first.hasPrefix("_") || first == "_all" && second != "_doc" else { return nil }
            let names = indices(first)
            switch (method, second) {
            case ("PUT", "_mapping"), ("POST", "_mapping"): return RestAction(actions: ["indices:admin/mapping/put"], indices: names)
            case ("GET", "_mapping"): return RestAction(actions: ["indices:admin/mappings/get"], indices: names)
            case (_, "_settings"): return settings(method, names)
            case ("GET", "_field_caps"), ("POST", "_field_caps"): return RestAction(actions: ["indices:data/read/field_caps"], indices: names)
            // The reindex module searches, then deletes under the caller's identity.
            case ("POST", "_delete_by_query"): return RestAction(actions: ["indices:data/write/delete/byquery", "indices:data/read/search"], indices: names)
            case ("POST", "_update_by_query"): return RestAction(actions: ["indices:data/write/update/byquery", "indices:data/read/search"], indices: names)
            case (_, "_search") where getOrPost, (_, "_count") where getOrPost:
                return RestAction(actions: ["indices:data/read/search"], indices: names)
            case (_, "_refresh") where getOrPost: return RestAction(actions: ["indices:admin/refresh"], indices: names)
            case (_, "_flush") where getOrPost: return RestAction(actions: ["indices:admin/flush"], indices: names)
            case ("POST", "_forcemerge"): return RestAction(actions: ["indices:admin/forcemerge"], indices: names)
            case ("GET", "_stats"): return RestAction(actions: ["indices:monitor/stats"], indices: names)
            case (_, "_mget") where getOrPost: return RestAction(actions: ["indices:data/read/mget"], indices: names)
            case (_, "_msearch") where getOrPost: return RestAction(actions: ["indices:data/read/msearch"], indices: names, check: .multiSearch)
            case ("POST", "_bulk"), ("PUT", "_bulk"): return RestAction(actions: ["indices:data/write/bulk"], indices: names, check: .bulk)
            case ("POST", "_doc"): return RestAction(actions: ["indices:data/write/index"], indices: [first], check: .singleDocumentWrite(.index))
            default: return nil
            }
        case 3:
            let (first, second) = (segments[0], segments[1])
            // A cluster permission whatever indices the path names (the plugin's isClusterPerm).
            if first == "_cluster", second == "health", read { return RestAction(actions: ["cluster:monitor/health"]) }
            if first == "_cat", second == "indices", read { return catIndices(indices(segments[2])) }
            if first == "_cat", second == "shards", read { return catShards(indices(segments[2])) }
            if first == "_cat", second == "templates", read { return RestAction(actions: ["cluster:monitor/state"]) }
            if first == "_cat", second == "aliases", read { return RestAction(actions: ["indices:admin/aliases/get"], indices: ["_all"]) }
            if first == "_cat", second == "count", read { return RestAction(actions: ["indices:data/read/search"], indices: indices(segments[2])) }
            // `/_search/scroll/{scroll_id}`: the id in the path (deprecated in ES 7, still served).
            if first == "_search", second == "scroll" { return scroll(method) }
            // `/{index}/_settings/{name}`: reading some settings.
            if second == "_settings", read { return settings(method, indices(first)) }
            guard !first.hasPrefix("_") else { return nil }
            switch (method, second) {
            case ("PUT", "_doc"), ("POST", "_doc"):
                return RestAction(actions: ["indices:data/write/index"], indices: [first], check: .singleDocumentWrite(.index))
            case ("PUT", "_create"), ("POST", "_create"):
                return RestAction(actions: ["indices:data/write/index"], indices: [first], check: .singleDocumentWrite(.create))
            case ("DELETE", "_doc"):
                return RestAction(actions: ["indices:data/write/delete"], indices: [first], check: .singleDocumentWrite(.delete))
            case ("POST", "_update"):
                return RestAction(actions: ["indices:data/write/update"], indices: [first], check: .singleDocumentWrite(.update))
            case ("GET", "_doc"), ("HEAD", "_doc"), ("GET", "_source"), ("HEAD", "_source"):
                return RestAction(actions: ["indices:data/read/get"], indices: [first])
            default: return nil
            }
        default:
            return nil
        }
    }

    /// `_settings`: read (`indices:monitor/settings/get`) or update (`indices:admin/settings/update`).
    private static func settings(_ method: String, _ names: [String]) -> RestAction? {
        switch method {
        case "GET", "HEAD": RestAction(actions: ["indices:monitor/settings/get"], indices: names)
        case "PUT": RestAction(actions: ["indices:admin/settings/update"], indices: names)
        default: nil
        }
    }

    /// The scroll API: cluster-level actions (reference §5, `isClusterPerm`).
    private static func scroll(_ method: String) -> RestAction? {
        switch method {
        case "DELETE": RestAction(actions: ["indices:data/read/scroll/clear"])
        case "GET", "POST": RestAction(actions: ["indices:data/read/scroll"])
        default: nil
        }
    }

    /// `_cat/shards` (RestShardsAction): the cluster state, then the indices' stats.
    private static func catShards(_ names: [String]) -> RestAction {
        RestAction(actions: ["cluster:monitor/state", "indices:monitor/stats"], indices: names)
    }

    /// `_cat/indices` (reference §5): settings first (decides visible indices), then state,
    /// stats and health.
    private static func catIndices(_ names: [String]) -> RestAction {
        RestAction(actions: ["indices:monitor/settings/get", "cluster:monitor/state", "indices:monitor/stats", "cluster:monitor/health"],
                   indices: names)
    }
}
