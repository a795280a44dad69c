import Foundation
import JSONValue
import LabTestSupport
import PKI
import Testing
@testable import NodeServer

/// The Elasticsearch-compatible endpoints over HTTPS, as clients see them (issue 5).
@Suite(.serialized) struct ElasticAPITests {
    @Test func documentsSearchAndCatThroughTheNode() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/movies", as: "admin", body: #"{"settings":{"number_of_replicas":0}}"#).body
                    == #"{"acknowledged":true,"shards_acknowledged":true,"index":"movies"}"#)
            #expect(try await lab.curl("HEAD", "/movies", as: "admin").status == 200)
            #expect(try await lab.curl("HEAD", "/nope", as: "admin").status == 404)
            #expect(try await lab.curl("PUT", "/movies/_doc/1", as: "admin", body: #"{"title":"Moneyball","year":2011}"#).status == 201)
            #expect(try await lab.curl("PUT", "/movies/_doc/2", as: "admin", body: #"{"title":"Heat","year":1995}"#).status == 201)
            let updated = try await lab.curl("POST", "/movies/_update/2", as: "admin", body: #"{"doc":{"year":1996}}"#)
            #expect(updated.body.contains(#""result":"updated""#))
            let search = try await lab.curl("GET", "/movies/_search?q=title:heat&filter_path=hits.total,hits.hits._source", as: "admin")
            #expect(search.body == #"{"hits":{"total":{"value":1,"relation":"eq"},"hits":[{"_source":{"title":"Heat","year":1996}}]}}"#)
            #expect(try await lab.curl("GET", "/movies/_count", as: "admin").body == #"{"count":2,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0}}"#)
            #expect(try await lab.curl("GET", "/_all/_count", as: "admin").body.hasPrefix(#"{"count":2,"#))
            let cat = try await lab.curl("GET", "/_cat/indices/movies?v&h=health,index,docs.count", as: "admin")
            #expect(cat.body == "health index  docs.count\ngreen  movies          2\n")
            #expect(try await lab.curl("GET", "/_cat/indices?health=green&h=index", as: "admin").body == "movies\n")
            #expect(try await lab.curl("GET", "/_cat/indices?health=yellow&h=index", as: "admin").body == "")
            let health = try await lab.curl("GET", "/_cat/indices?health=blue", as: "admin")
            #expect(health.status == 400 && health.body.contains(#""reason":"unknown cluster health status [blue]""#))
            let all = try await lab.curl("GET", "/_all?filter_path=*.settings.index.number_of_replicas", as: "admin")
            #expect(all.body == #"{"movies":{"settings":{"index":{"number_of_replicas":"0"}}}}"#)
            let gone = try await lab.curl("DELETE", "/nope?ignore_unavailable=true", as: "admin")
            #expect(gone.status == 200 && gone.body == #"{"acknowledged":true}"#)
            let byId = try await lab.curl("POST", "/movies/_search?filter_path=hits.hits._id", as: "admin", body: #"{"query":{"term":{"_id":"2"}}}"#)
            #expect(byId.body == #"{"hits":{"hits":[{"_id":"2"}]}}"#)
            let pretty = try await lab.curl("GET", "/_cluster/health?pretty&filter_path=status", as: "admin")
            #expect(pretty.body == "{\n  \"status\" : \"green\"\n}\n")
        }
    }

    @Test func errorsUseTheElasticsearchErrorShape() async throws {
        try await LabNode.with { lab in
            let missing = try await lab.curl("GET", "/nope/_search", as: "admin")
            #expect(missing.status == 404)
            #expect(missing.body.hasPrefix(#"{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [nope]""#))
            let noHandler = try await lab.curl("GET", "/movies/_nonsense/1/2", as: "admin")
            #expect(noHandler.status == 400)
            #expect(noHandler.body.contains("no handler found for uri [/movies/_nonsense/1/2] and method [GET]"))
            // The OpenSearch prefix on an Open Distro node.
            let plugins = try await lab.curl("GET", "/_plugins/_security/authinfo", as: "admin")
            #expect(plugins.status == 400)
            #expect(plugins.body == #"{"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"no handler found for uri [/_plugins/_security/authinfo] and method [GET]"}],"type":"illegal_argument_exception","reason":"no handler found for uri [/_plugins/_security/authinfo] and method [GET]"},"status":400}"#)
            let malformed = try await lab.curl("POST", "/movies/_search", as: "admin", body: #"{"query":{"match_all":{}"#)
            #expect(malformed.status == 400)
            #expect(malformed.body.contains("parse_exception"))
        }
    }

    @Test func openSearchFlavorAnswersAsOpenSearch() async throws {
        let files = try LabFiles()
        let config = try String(contentsOfFile: files.nodeConfig, encoding: .utf8).replacingOccurrences(of: "opendistro_security.", with: "plugins.security.")
        try config.write(toFile: files.nodeConfig, atomically: true, encoding: .utf8)
        try await LabNode.with(files: files) { lab in
            let root = try await lab.curl("GET", "/", as: "admin")
            #expect(root.body.contains(#""version":{"distribution":"opensearch","number":"2.19.0""#))
            #expect(root.body.hasSuffix(#""tagline":"The OpenSearch Project: https://opensearch.org/"}"#))
            let challenge = try await run("curl", ["-sS", "-i", "--cacert", lab.cert("root-ca"), lab.url + "/"])
            #expect(challenge.output.contains("WWW-Authenticate: Basic realm=\"OpenSearch Security\""))
            #expect(try await lab.curl("GET", "/_plugins/_security/authinfo", as: "CLIENT1").status == 200)
            #expect(try await lab.curl("GET", "/_opendistro/_security/authinfo", as: "CLIENT1").status == 200)
            // OpenSearch 2.x's `_cat/nodes` columns, and its security plugin.
            let header = try await lab.curl("GET", "/_cat/nodes?v", as: "admin").body.split(separator: "\n").first?.split(separator: " ")
            #expect(header == ["ip", "heap.percent", "ram.percent", "cpu", "load_1m", "load_5m", "load_15m", "node.role", "node.roles", "cluster_manager", "name"])
            let roles = try await lab.curl("GET", "/_cat/nodes?h=node.roles,cluster_manager,name", as: "admin")
            #expect(roles.body == "cluster_manager,data,ingest,remote_cluster_client * search-node\n")
            #expect(try await lab.curl("GET", "/_cat/plugins?h=component,version", as: "admin").body == "opensearch-security 2.19.0.0\n")
            let nodes = try await lab.curl("GET", "/_nodes/_cluster_manager/plugins?filter_path=nodes.*.version,nodes.*.roles,nodes.*.plugins.name", as: "admin")
            #expect(nodes.body.hasSuffix(#"{"version":"2.19.0","roles":["cluster_manager","data","ingest","remote_cluster_client"],"plugins":[{"name":"opensearch-security"}]}}}"#))
        }
    }

    @Test func healthcheckSubcommandReportsUpAndDown() async throws {
        try await LabNode.with { lab in
            let binary = NodeProcess.binary
            let up = try await run(binary, ["healthcheck", "--url", lab.url + "/_opendistro/_security/health", "--cacert", lab.cert("root-ca")])
            #expect(up.status == 0)
            #expect(up.output.hasPrefix("healthy: "))
            let down = try await run(binary, ["healthcheck", "--url", "https://127.0.0.1:1/_opendistro/_security/health", "--cacert", lab.cert("root-ca")])
            #expect(down.status == 1)
            #expect(down.output.hasPrefix("unhealthy: "))
        }
    }

    @Test func enabledProtocolsLimitTheTLSVersions() async throws {
        try await LabNode.with(adjust: { $0.settings.all["opendistro_security.ssl.http.enabled_protocols"] = ["TLSv1.3"] }) { lab in
            let old = try await run("curl", ["-sS", "--tlsv1.2", "--tls-max", "1.2", "--cacert", lab.cert("root-ca"), lab.url + "/"])
            #expect(old.status != 0)
            let current = try await run("curl", ["-sS", "--tlsv1.3", "--cacert", lab.cert("root-ca"), "-o", "/dev/null", "-w", "%{http_code}", lab.url + "/"])
            #expect(current.output == "401")
        }
    }

    @Test func demoCertificatesAreRefusedUnlessAllowed() throws {
        let directory = try TemporaryDirectory()
        let pem = directory.path("demo-root.pem")
        let made = try runBlocking("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                               "-keyout", directory.path("demo-root-key.pem"), "-out", pem, "-days", "1",
                                               "-subj", "/DC=com/DC=example/O=Example Com Inc./OU=Example Com Inc. Root CA/CN=Example Com Inc. Root CA"])
        #expect(made.status == 0)
        let demo = try PEMFile.readCertificates(at: pem)
        #expect(throws: HTTPTLSError(setting: "opendistro_security.allow_unsafe_democertificates",
                                     reason: "Demo certificates found but opendistro_security.allow_unsafe_democertificates is set to false. Generate your own with cert-issuer init, or set it to true for a throw-away demo.")) {
            try DemoCertificates.check(demo, prefix: "opendistro_security.", allowed: false)
        }
        try DemoCertificates.check(demo, prefix: "opendistro_security.", allowed: true)
        let lab = try LabFiles()
        try DemoCertificates.check(try PEMFile.readCertificates(at: lab.cert("root-ca")), prefix: "opendistro_security.", allowed: false)
    }

    /// `PUT /{index}/_settings` with `number_of_replicas: 0` turns the one-node lab green; it
    /// needs `indices:admin/settings/update` and reading needs `indices:monitor/settings/get`
    /// (neither is in `readall`); some settings can be read by name.
    @Test func settingsThroughTheNode() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/logs-a/_doc/1", as: "admin", body: #"{"m":"x"}"#).status == 201)
            #expect(try await lab.curl("GET", "/_cluster/health?filter_path=status", as: "admin").body == #"{"status":"yellow"}"#)
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 200)
            let refused = try await lab.curl("PUT", "/logs-a/_settings", as: "CLIENT1", body: #"{"index":{"number_of_replicas":0}}"#)
            #expect(refused.status == 403)
            #expect(refused.body.contains("no permissions for [indices:admin/settings/update] and User [name=CLIENT1"))
            let updated = try await lab.curl("PUT", "/logs-*/_settings", as: "admin", body: #"{"index":{"number_of_replicas":0}}"#)
            #expect(updated.status == 200)
            #expect(updated.body == #"{"acknowledged":true}"#)
            #expect(try await lab.curl("GET", "/_cluster/health?filter_path=status", as: "admin").body == #"{"status":"green"}"#)
            let read = try await lab.curl("GET", "/logs-a/_settings/index.number_of_replicas?flat_settings=true", as: "admin")
            #expect(read.body == #"{"logs-a":{"settings":{"index.number_of_replicas":"0"}}}"#)
            // `read` does not include `indices:monitor/settings/get` (as `_cat/indices` shows too).
            #expect(try await lab.curl("GET", "/logs-a/_settings", as: "CLIENT1").status == 403)
            // `logs-*`, not every index: the refusals above are audited into `security-auditlog-*`
            // by a background writer, which may or may not have created that index by now.
            let nested = try await lab.curl("GET", "/logs-*/_settings?filter_path=*.settings.index.number_of_shards", as: "admin")
            #expect(nested.body == #"{"logs-a":{"settings":{"index":{"number_of_shards":"1"}}}}"#)
        }
    }

    /// `_cat/health` (`cluster:monitor/health`) and `_cat/count` (a search) as text or JSON.
    @Test func catHealthAndCount() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/movies/_doc/1?refresh=true", as: "admin", body: #"{"title":"Heat"}"#).status == 201)
            #expect(try await lab.curl("PUT", "/movies/_doc/2?refresh=true", as: "admin", body: #"{"title":"Ran"}"#).status == 201)
            let health = try await lab.curl("GET", "/_cat/health?v&ts=false&h=status,node.total,shards,pri,unassign,max_task_wait_time,active_shards_percent", as: "admin")
            #expect(health.body == "status node.total shards pri unassign max_task_wait_time active_shards_percent\nyellow          1      1   1        1                  -                 50.0%\n")
            let json = try JSON(parsing: try await lab.curl("GET", "/_cat/health?format=json", as: "admin").body)
            #expect(json[0]?.objectValue?.keys.map { $0 } == ["epoch", "timestamp", "cluster", "status", "node.total", "node.data", "shards", "pri",
                                                               "relo", "init", "unassign", "pending_tasks", "max_task_wait_time", "active_shards_percent"])
            #expect(json[0]?["status"] == "yellow")
            #expect(try await lab.curl("GET", "/_cat/count/movies?h=count", as: "admin").body == "2\n")
            let count = try JSON(parsing: try await lab.curl("GET", "/_cat/count?format=json", as: "admin").body)
            #expect(count[0]?["count"] == "2")
            #expect(count[0]?["epoch"]?.stringValue.flatMap { Int($0) } != nil)
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 200)
            #expect(try await lab.curl("GET", "/_cat/count/movies?h=count", as: "CLIENT1").body == "2\n")
            // `readall` has no `cluster_monitor`.
            #expect(try await lab.curl("GET", "/_cat/health", as: "CLIENT1").status == 403)
        }
    }

    /// `_cat/nodes` and `_cat/plugins`, the install guides' first checks: ES 7.10's columns for
    /// the Open Distro flavor, live figures from `/proc`, and `cluster_monitor` to see them.
    @Test func catNodesAndPlugins() async throws {
        try await LabNode.with { lab in
            let nodes = try await lab.curl("GET", "/_cat/nodes?v", as: "admin")
            #expect(nodes.status == 200)
            let lines = nodes.body.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(lines.count == 2)
            #expect(lines.first == ["ip", "heap.percent", "ram.percent", "cpu", "load_1m", "load_5m", "load_15m", "node.role", "master", "name"])
            let row = lines.last ?? []
            #expect(row.count == 10)
            #expect(row.first == "127.0.0.1")
            #expect(Array(row.suffix(3)) == ["dimr", "*", "search-node"])
            for percent in row.dropFirst().prefix(3) { #expect(Int(percent).map { (0...100).contains($0) } == true, "\(percent)") }
            for load in row.dropFirst(4).prefix(3) { #expect(Double(load).map { $0 >= 0 } == true, "\(load)") }
            let chosen = try await lab.curl("GET", "/_cat/nodes?format=json&h=name,node.role,master,cluster_manager", as: "admin")
            #expect(chosen.body == #"[{"name":"search-node","node.role":"dimr","master":"*","cluster_manager":"*"}]"#)
            let plugins = try await lab.curl("GET", "/_cat/plugins?v", as: "admin")
            #expect(plugins.body == "name        component           version \nsearch-node opendistro_security 1.13.1.0\n")
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 200)
            let refused = try await lab.curl("GET", "/_cat/nodes", as: "CLIENT1")
            #expect(refused.status == 403)
            #expect(refused.body.contains("no permissions for [cluster:monitor/state] and User [name=CLIENT1"))
        }
    }

    /// `_nodes` (what sniffing clients read) and `_nodes/stats`, with ES's node and metric filters.
    @Test func nodesInfoAndStats() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/movies/_doc/1", as: "admin", body: #"{"title":"Heat"}"#).status == 201)
            let sniff = try JSON(parsing: try await lab.curl("GET", "/_nodes/_all/http", as: "admin").body)
            #expect(sniff["_nodes"] == json(#"{"total":1,"successful":1,"failed":0}"#))
            let nodes = try #require(sniff["nodes"]?.objectValue)
            let (id, entry) = try #require(nodes.first(where: { _ in true }))
            #expect(nodes.count == 1 && id.count == 22)
            #expect(entry["name"] == "search-node" && entry["version"] == "7.10.2" && entry["build_flavor"] == "oss")
            #expect(entry["roles"] == json(#"["data","ingest","master","remote_cluster_client"]"#))
            #expect(entry["http"]?["publish_address"]?.stringValue == "127.0.0.1:\(lab.port)")
            #expect(entry["http"]?["bound_address"] == .array([.string("127.0.0.1:\(lab.port)")]))
            #expect(entry["os"] == nil && entry["settings"] == nil)
            let full = try JSON(parsing: try await lab.curl("GET", "/_nodes", as: "admin").body)
            #expect(full["nodes"]?[id]?.objectValue?.keys.suffix(7) == ["roles", "settings", "os", "process", "http", "plugins", "modules"])
            #expect(full["nodes"]?[id]?["plugins"]?[0]?["name"] == "opendistro_security")
            #expect(full["nodes"]?[id]?["settings"]?["http"]?["port"]?.stringValue == String(lab.port))
            let byName = try JSON(parsing: try await lab.curl("GET", "/_nodes/search-*/process", as: "admin").body)
            #expect(byName["nodes"]?[id]?["process"]?["mlockall"] == false)
            #expect(try await lab.curl("GET", "/_nodes/other-node", as: "admin").body.contains(#""_nodes":{"total":0,"successful":0,"failed":0},"cluster_name":"certlab","nodes":{}"#))
            // Nodes info drops unknown metrics; nodes stats refuses them, with ES's hints.
            let ignored = try JSON(parsing: try await lab.curl("GET", "/_nodes/_all/nonsense", as: "admin").body)
            #expect(ignored["nodes"]?[id]?["name"] == "search-node" && ignored["nodes"]?[id]?["os"] == nil)
            let unknown = try await lab.curl("GET", "/_nodes/stats/nonsense,proces", as: "admin")
            #expect(unknown.status == 400 && unknown.body.contains("request [/_nodes/stats/nonsense,proces] contains unrecognized metrics: [nonsense], [proces] -> did you mean [process]?"))
            let stats = try JSON(parsing: try await lab.curl("GET", "/_nodes/stats/indices,os,process,fs", as: "admin").body)
            let node = try #require(stats["nodes"]?[id])
            #expect(node.objectValue?.keys.prefix(6) == ["timestamp", "name", "transport_address", "host", "ip", "roles"] && node["ip"] == "127.0.0.1:9300")
            #expect(node["indices"]?["docs"] == json(#"{"count":1,"deleted":0}"#))
            #expect((node["os"]?["mem"]?["total_in_bytes"]?.intValue ?? 0) > 0 && (node["fs"]?["total"]?["available_in_bytes"]?.intValue ?? 0) > 0)
            #expect((node["process"]?["open_file_descriptors"]?.intValue ?? 0) > 0 && node["jvm"] == nil)
            let docsOnly = try JSON(parsing: try await lab.curl("GET", "/_nodes/_local/stats/indices,os/docs", as: "admin").body)
            #expect(docsOnly["nodes"]?[id]?["indices"] == json(#"{"docs":{"count":1,"deleted":0}}"#) && docsOnly["nodes"]?[id]?["os"] != nil)
            let allWithIndex = try await lab.curl("GET", "/_nodes/stats/_all/docs", as: "admin")
            #expect(allWithIndex.body.contains("contains index metrics [docs] but all stats requested"))
            let misplaced = try await lab.curl("GET", "/_nodes/stats/os/docs", as: "admin")
            #expect(misplaced.status == 400 && misplaced.body.contains("contains index metrics [docs] but indices stats not requested"))
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 200)
            let refused = try await lab.curl("GET", "/_nodes/stats", as: "CLIENT1")
            #expect(refused.status == 403 && refused.body.contains("no permissions for [cluster:monitor/nodes/stats] and User [name=CLIENT1"))
        }
    }

    /// Refresh, flush and force merge count every shard copy an index asks for and succeed on
    /// the primaries; a force merge leaves every document findable.
    @Test func refreshFlushAndForceMerge() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/movies", as: "admin", body: #"{"settings":{"number_of_replicas":0}}"#).status == 200)
            #expect(try await lab.curl("PUT", "/logs", as: "admin").status == 200)
            for id in 1...3 {
                let created = try await lab.curl("PUT", "/movies/_doc/\(id)", as: "admin", body: "{\"title\":\"take \(id)\"}")
                #expect(created.status == 201)
            }
            #expect(try await lab.curl("POST", "/movies/_refresh", as: "admin").body == #"{"_shards":{"total":1,"successful":1,"failed":0}}"#)
            #expect(try await lab.curl("POST", "/_flush", as: "admin").body == #"{"_shards":{"total":3,"successful":2,"failed":0}}"#)
            #expect(try await lab.curl("GET", "/logs/_flush", as: "admin").body == #"{"_shards":{"total":2,"successful":1,"failed":0}}"#)
            #expect(try await lab.curl("POST", "/movies/_forcemerge?max_num_segments=1", as: "admin").body == #"{"_shards":{"total":1,"successful":1,"failed":0}}"#)
            #expect(try await lab.curl("GET", "/movies/_count?q=title:take", as: "admin").body.hasPrefix(#"{"count":3,"#))
            #expect(try await lab.curl("GET", "/movies/_forcemerge", as: "admin").status == 400)
            #expect(try await lab.curl("POST", "/nope/_flush", as: "admin").status == 404)
            #expect(try await lab.curl("POST", "/nope,movies/_refresh?ignore_unavailable=true", as: "admin").body == #"{"_shards":{"total":1,"successful":1,"failed":0}}"#)
        }
    }

    /// `_delete_by_query` needs `indices:data/write/delete/byquery` and a search on the index,
    /// `_update_by_query` `indices:data/write/update/byquery` and the search.
    @Test func deleteByQueryThroughTheNode() async throws {
        try await LabNode.with { lab in
            for (id, level) in [(1, "INFO"), (2, "ERROR"), (3, "ERROR")] {
                #expect(try await lab.curl("PUT", "/logs-a/_doc/\(id)?refresh=true", as: "admin", body: #"{"level":"\#(level)"}"#).status == 201)
            }
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 200)
            let refused = try await lab.curl("POST", "/logs-a/_delete_by_query", as: "CLIENT1", body: #"{"query":{"match_all":{}}}"#)
            #expect(refused.status == 403)
            #expect(refused.body.contains("no permissions for [indices:data/write/delete/byquery] and User [name=CLIENT1"))
            let deleted = try await lab.curl("POST", "/logs-*/_delete_by_query?refresh=true&filter_path=total,deleted,failures", as: "admin",
                                             body: #"{"query":{"term":{"level.keyword":"ERROR"}}}"#)
            #expect(deleted.body == #"{"total":2,"deleted":2,"failures":[]}"#)
            #expect(try await lab.curl("GET", "/logs-a/_count", as: "CLIENT1").body.hasPrefix(#"{"count":1,"#))
            let notUpdated = try await lab.curl("POST", "/logs-a/_update_by_query", as: "CLIENT1")
            #expect(notUpdated.status == 403 && notUpdated.body.contains("no permissions for [indices:data/write/update/byquery] and User [name=CLIENT1"))
            let updated = try await lab.curl("POST", "/logs-a/_update_by_query?q=level:INFO&filter_path=total,updated,deleted", as: "admin")
            #expect(updated.body == #"{"total":1,"updated":1,"deleted":0}"#)
            #expect(try await lab.curl("GET", "/logs-a/_doc/1?filter_path=_version", as: "admin").body == #"{"_version":2}"#)
        }
    }

    /// `_field_caps` with `fields` in the URL or the body; `read` includes it.
    @Test func fieldCapabilitiesThroughTheNode() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/movies/_doc/1", as: "admin", body: #"{"title":"Heat","year":1995}"#).status == 201)
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 200)
            let byURL = try await lab.curl("GET", "/movies/_field_caps?fields=year", as: "CLIENT1")
            #expect(byURL.body == #"{"indices":["movies"],"fields":{"year":{"long":{"type":"long","searchable":true,"aggregatable":true}}}}"#)
            let byBody = try await lab.curl("POST", "/_field_caps?filter_path=fields.title*", as: "admin", body: #"{"fields":["title*"]}"#)
            #expect(byBody.body == #"{"fields":{"title":{"text":{"type":"text","searchable":true,"aggregatable":false}},"title.keyword":{"keyword":{"type":"keyword","searchable":true,"aggregatable":true}}}}"#)
            #expect(try await lab.curl("GET", "/movies/_field_caps", as: "admin").status == 400)
        }
    }
}

/// A JSON literal of a test, nil if it does not parse (which fails the comparison it is in).
private func json(_ text: String) -> JSON? { try? JSON(parsing: text) }
