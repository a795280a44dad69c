import Testing
@testable import SecurityEngine

/// The REST route → action table of reference §5.
@Suite struct RestActionTableTests {
    @Test(arguments: [
        ("GET", "/", ["cluster:monitor/main"], [String](), RestAction.Check.actions),
        ("GET", "/_cluster/health", ["cluster:monitor/health"], [], .actions),
        ("GET", "/_cat/indices", ["indices:monitor/settings/get", "cluster:monitor/state", "indices:monitor/stats", "cluster:monitor/health"], ["_all"], .actions),
        ("GET", "/_cat/indices/logs-*", ["indices:monitor/settings/get", "cluster:monitor/state", "indices:monitor/stats", "cluster:monitor/health"], ["logs-*"], .actions),
        ("PUT", "/logs-1", ["indices:admin/create"], ["logs-1"], .actions),
        ("DELETE", "/logs-1,logs-2", ["indices:admin/delete"], ["logs-1", "logs-2"], .actions),
        ("PUT", "/logs-1/_mapping", ["indices:admin/mapping/put"], ["logs-1"], .actions),
        ("GET", "/logs-1/_mapping", ["indices:admin/mappings/get"], ["logs-1"], .actions),
        ("GET", "/logs-1", ["indices:admin/get"], ["logs-1"], .actions),
        ("GET", "/_all", ["indices:admin/get"], ["_all"], .actions),
        ("GET", "/_nodes", ["cluster:monitor/nodes/info"], [], .actions),
        ("GET", "/_cluster/health/logs-*", ["cluster:monitor/health"], [], .actions),
        ("GET", "/_cat", [], [], .actions),
        ("GET", "/_all/_search", ["indices:data/read/search"], ["_all"], .actions),
        ("HEAD", "/_template/filebeat-7.12.1", ["indices:admin/template/get"], [], .actions),
        ("PUT", "/_template/filebeat-7.12.1", ["indices:admin/template/put"], [], .actions),
        ("DELETE", "/_template/filebeat-7.12.1", ["indices:admin/template/delete"], [], .actions),
        ("GET", "/_template", ["indices:admin/template/get"], [], .actions),
        ("GET", "/_cat/templates", ["cluster:monitor/state"], [], .actions),
        ("GET", "/_cat/shards/logs-1", ["cluster:monitor/state", "indices:monitor/stats"], ["logs-1"], .actions),
        ("GET", "/_cat/master", ["cluster:monitor/state"], [], .actions),
        ("GET", "/_cat/aliases", ["indices:admin/aliases/get"], ["_all"], .actions),
        ("GET", "/_cluster/settings", ["cluster:monitor/state"], [], .actions),
        ("GET", "/_cat/allocation", ["cluster:monitor/state", "cluster:monitor/nodes/stats"], [], .actions),
        ("GET", "/_nodes/_all/http", ["cluster:monitor/nodes/info"], [], .actions),
        ("GET", "/_nodes/stats", ["cluster:monitor/nodes/stats"], [], .actions),
        ("GET", "/_nodes/_local/stats/indices/docs", ["cluster:monitor/nodes/stats"], [], .actions),
        ("DELETE", "/_all", ["indices:admin/delete"], ["_all"], .actions),
        ("PUT", "/logs-1/_doc/1", ["indices:data/write/index"], ["logs-1"], .singleDocumentWrite(.index)),
        ("POST", "/logs-1/_doc", ["indices:data/write/index"], ["logs-1"], .singleDocumentWrite(.index)),
        ("PUT", "/logs-1/_create/1", ["indices:data/write/index"], ["logs-1"], .singleDocumentWrite(.create)),
        ("DELETE", "/logs-1/_doc/1", ["indices:data/write/delete"], ["logs-1"], .singleDocumentWrite(.delete)),
        ("POST", "/logs-1/_update/1", ["indices:data/write/update"], ["logs-1"], .singleDocumentWrite(.update)),
        ("POST", "/_bulk", ["indices:data/write/bulk"], [], .bulk),
        ("POST", "/logs-1/_bulk", ["indices:data/write/bulk"], ["logs-1"], .bulk),
        ("GET", "/logs-1/_doc/1", ["indices:data/read/get"], ["logs-1"], .actions),
        ("POST", "/logs-*/_search", ["indices:data/read/search"], ["logs-*"], .actions),
        ("GET", "/_search", ["indices:data/read/search"], ["_all"], .actions),
        ("GET", "/logs-1/_count", ["indices:data/read/search"], ["logs-1"], .actions),
        ("GET", "/_mget", ["indices:data/read/mget"], [], .actions),
        ("POST", "/_msearch", ["indices:data/read/msearch"], [], .multiSearch),
        ("GET", "/logs-*/_msearch", ["indices:data/read/msearch"], ["logs-*"], .multiSearch),
        ("POST", "/logs-1/_refresh", ["indices:admin/refresh"], ["logs-1"], .actions),
        ("POST", "/_flush", ["indices:admin/flush"], ["_all"], .actions),
        ("POST", "/_reindex", ["indices:data/write/reindex"], [], .reindex),
        ("POST", "/logs-1/_update_by_query", ["indices:data/write/update/byquery", "indices:data/read/search"], ["logs-1"], .actions),
        ("GET", "/logs-1/_flush", ["indices:admin/flush"], ["logs-1"], .actions),
        ("POST", "/logs-1/_forcemerge", ["indices:admin/forcemerge"], ["logs-1"], .actions),
        ("POST", "/_search/scroll", ["indices:data/read/scroll"], [], .actions),
        ("DELETE", "/_search/scroll", ["indices:data/read/scroll/clear"], [], .actions),
        ("GET", "/_search/scroll/AAAAAAAAAAE", ["indices:data/read/scroll"], [], .actions),
        ("PUT", "/logs-*/_settings", ["indices:admin/settings/update"], ["logs-*"], .actions),
        ("GET", "/_cat/health", ["cluster:monitor/health"], [], .actions),
        ("GET", "/_cat/nodes", ["cluster:monitor/state", "cluster:monitor/nodes/info", "cluster:monitor/nodes/stats"], [], .actions),
        ("GET", "/_cat/plugins", ["cluster:monitor/state", "cluster:monitor/nodes/info"], [], .actions),
        ("GET", "/logs-*/_field_caps", ["indices:data/read/field_caps"], ["logs-*"], .actions),
        ("POST", "/_field_caps", ["indices:data/read/field_caps"], ["_all"], .actions),
        ("POST", "/logs-*/_delete_by_query", ["indices:data/write/delete/byquery", "indices:data/read/search"], ["logs-*"], .actions),
        ("GET", "/_cat/count", ["indices:data/read/search"], ["_all"], .actions),
        ("GET", "/_cat/count/logs-*", ["indices:data/read/search"], ["logs-*"], .actions),
        ("GET", "/_settings", ["indices:monitor/settings/get"], ["_all"], .actions),
        ("GET", "/logs-1/_settings/index.number_*", ["indices:monitor/settings/get"], ["logs-1"], .actions),
        ("DELETE", "/_search/scroll/_all", ["indices:data/read/scroll/clear"], [], .actions),
        ("GET", "/_opendistro/_security/authinfo", [], [], .securityPlugin),
        ("PUT", "/_plugins/_security/api/rolesmapping/readall", [], [], .securityPlugin),
    ] as [(String, String, [String], [String], RestAction.Check)])
    func route(method: String, path: String, actions: [String], indices: [String], check: RestAction.Check) throws {
        let action = try #require(RestActionTable.lookup(method: method, path: path))
        #expect(action == RestAction(actions: actions, indices: indices, check: check))
    }

    @Test func unknownRoutes() {
        #expect(RestActionTable.lookup(method: "PATCH", path: "/") == nil)
        #expect(RestActionTable.lookup(method: "GET", path: "/_other") == nil)
        #expect(RestActionTable.lookup(method: "GET", path: "/_nodes/a/stats/b/c/d") == nil)
        #expect(RestActionTable.lookup(method: "POST", path: "/_nodes") == nil)
        #expect(RestActionTable.lookup(method: "GET", path: "/_nodes/hot_threads") == nil)
        #expect(RestActionTable.lookup(method: "GET", path: "/_nodes/n1/usage") == nil)
        #expect(RestActionTable.lookup(method: "POST", path: "/_all/_doc") == nil)
        #expect(RestActionTable.lookup(method: "PUT", path: "/_search/scroll") == nil)
    }
}
