import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// Real Python clients, unmodified, with client certificates (issue 5; lab-and-beats.md §5).
/// They are installed by `.ci/run`; a machine without them fails here with the import error.
@Suite(.serialized) struct ClientCompatibilityTests {
    func python(_ lab: LabNode, _ body: String) async throws -> String {
        let prelude = """
            CA, CERT, KEY = "\(lab.cert("root-ca"))", "\(lab.cert("CLIENT1"))", "\(lab.key("CLIENT1"))"
            PORT = \(lab.port)

            """
        return try await run("python3", ["-c", prelude + body]).output
    }

    func prepare(_ lab: LabNode) async throws {
        #expect(try await lab.curl("PUT", "/movies/_doc/3", as: "admin", body: #"{"title":"Moneyball","year":2011}"#).status == 201)
        #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 200)
    }

    @Test func opensearchPyReadsAndSearchesWithAClientCertificate() async throws {
        try await LabNode.with { lab in
            try await prepare(lab)
            let output = try await python(lab, """
                from opensearchpy import OpenSearch
                client = OpenSearch(hosts=[{"host": "localhost", "port": PORT}], use_ssl=True, verify_certs=True,
                                    ca_certs=CA, client_cert=CERT, client_key=KEY)
                print(client.get(index="movies", id="3")["_source"]["title"])
                print(client.search(index="movies", body={"query": {"match": {"title": "moneyball"}}})["hits"]["total"]["value"])
                try:
                    client.index(index="movies", id="4", body={"title": "x"})
                except Exception as error:
                    print(type(error).__name__, error.status_code)
                """)
            #expect(output == "Moneyball\n1\nAuthorizationException 403\n")
        }
    }

    @Test func elasticsearch7ClientReadsWithAClientCertificate() async throws {
        try await LabNode.with { lab in
            try await prepare(lab)
            let output = try await python(lab, """
                import warnings
                warnings.simplefilter("ignore")
                from elasticsearch7 import Elasticsearch
                client = Elasticsearch(["https://localhost:%d" % PORT], ca_certs=CA, client_cert=CERT, client_key=KEY)
                print(client.get(index="movies", id="3")["_source"]["year"])
                print(client.count(index="movies")["count"])
                """)
            #expect(output == "2011\n1\n")
        }
    }

    /// `helpers.scan` (the scroll API) reads past the 10,000-hit window for a user whose role
    /// allows it: `readall`'s `cluster_composite_ops_ro` has `indices:data/read/scroll` but not
    /// `indices:data/read/scroll/clear`, so, as with the real plugin, such a user scans with
    /// `clear_scroll=False` and an explicit clear is refused (403). A scroll opened by one user
    /// is unknown to another (404 `search_context_missing_exception`).
    @Test func opensearchPyScansPastTheResultWindowAndScrollsBelongToTheirUser() async throws {
        try await LabNode.with { lab in
            try await prepare(lab)
            let output = try await python(lab, """
                from opensearchpy import OpenSearch, helpers, NotFoundError
                def client(cert, key):
                    return OpenSearch(hosts=[{"host": "localhost", "port": PORT}], use_ssl=True, verify_certs=True,
                                      ca_certs=CA, client_cert=cert, client_key=key)
                admin = client("\(lab.cert("admin"))", "\(lab.key("admin"))")
                reader = client(CERT, KEY)
                helpers.bulk(admin, ({"_index": "scan", "_id": str(n), "n": n} for n in range(10500)), refresh=True)
                seen = [hit["_id"] for hit in helpers.scan(reader, index="scan", query={"query": {"match_all": {}}}, size=2000, clear_scroll=False)]
                print(len(seen), len(set(seen)))
                ordered = [hit["_source"]["n"] for hit in helpers.scan(admin, index="scan", query={"query": {"range": {"n": {"gte": 10400}}}, "sort": [{"n": "desc"}]}, size=30, preserve_order=True)]
                print(ordered == list(range(10499, 10399, -1)))
                mine = reader.search(index="scan", scroll="1m", size=10, body={"query": {"match_all": {}}})
                try:
                    reader.clear_scroll(scroll_id=mine["_scroll_id"])
                except Exception as error:
                    print(error.status_code, error.info["error"]["reason"])
                opened = admin.search(index="scan", scroll="1m", size=10, body={"query": {"match_all": {}}})
                try:
                    reader.scroll(scroll_id=opened["_scroll_id"], scroll="1m")
                except NotFoundError as error:
                    print(error.status_code, error.info["error"]["root_cause"][0]["type"])
                print(len(admin.scroll(scroll_id=opened["_scroll_id"], scroll="1m")["hits"]["hits"]))
                print(admin.clear_scroll(scroll_id=opened["_scroll_id"]))
                """)
            #expect(output == """
                10500 10500
                True
                403 no permissions for [indices:data/read/scroll/clear] and User [name=CLIENT1, backend_roles=[lab], requestedTenant=null]
                404 search_context_missing_exception
                10
                {'succeeded': True, 'num_freed': 1}

                """)
        }
    }

    /// `_msearch` is checked as `indices:data/read/msearch` (cluster; the lab's `own_index`
    /// mapping of every user grants it through `cluster_composite_ops`, as the plugin's static
    /// role does), then each search as `indices:data/read/search` on its own indices: a refused
    /// one answers 403 in its place.
    @Test func opensearchPyMultiSearchChecksEachSearchOnItsOwnIndices() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/movies/_doc/3?refresh=true", as: "admin", body: #"{"title":"Moneyball","year":2011}"#).status == 201)
            #expect(try await lab.curl("PUT", "/secret/_doc/1?refresh=true", as: "admin", body: #"{"code":42}"#).status == 201)
            let role = #"{"cluster_permissions":["indices:data/read/msearch"],"index_permissions":[{"index_patterns":["movies"],"allowed_actions":["read"]}]}"#
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/roles/movies_only", as: "admin", body: role).status == 201)
            #expect(try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/movies_only", as: "admin", body: #"{"users":["CLIENT1"]}"#).status == 201)
            let output = try await python(lab, """
                from opensearchpy import OpenSearch
                client = OpenSearch(hosts=[{"host": "localhost", "port": PORT}], use_ssl=True, verify_certs=True,
                                    ca_certs=CA, client_cert=CERT, client_key=KEY)
                answer = client.msearch(body=[{"index": "movies"}, {"query": {"match": {"title": "moneyball"}}}, {"index": "secret"}, {}])
                first, second = answer["responses"]
                print(first["status"], first["hits"]["hits"][0]["_source"]["title"])
                print(second["status"], second["error"]["type"], second["error"]["reason"])
                """)
            #expect(output == """
                200 Moneyball
                403 security_exception no permissions for [indices:data/read/search] and User [name=CLIENT1, backend_roles=[lab], requestedTenant=null]

                """)
        }
    }

    /// `sniff_on_start=True` reads `GET /_nodes/_all/http` and reconnects to each node's
    /// `http.publish_address`: both clients end up on this node's real address and port
    /// (the lab certificate has 127.0.0.1 among its SANs) and keep working.
    @Test func sniffingClientsFindThisNode() async throws {
        try await LabNode.with { lab in
            try await prepare(lab)
            let output = try await python(lab, """
                import json, warnings
                warnings.simplefilter("ignore")
                from opensearchpy import OpenSearch
                from elasticsearch7 import Elasticsearch
                tls = dict(use_ssl=True, verify_certs=True, ca_certs=CA, client_cert="\(lab.cert("admin"))", client_key="\(lab.key("admin"))")
                opensearch = OpenSearch(hosts=[{"host": "localhost", "port": PORT}], sniff_on_start=True, **tls)
                print([c.host for c in opensearch.transport.connection_pool.connections] == ["https://127.0.0.1:%d" % PORT])
                print(opensearch.get(index="movies", id="3")["_source"]["title"])
                elastic = Elasticsearch([{"host": "localhost", "port": PORT}], sniff_on_start=True, **tls)
                print([c.host for c in elastic.transport.connection_pool.connections] == ["https://127.0.0.1:%d" % PORT])
                # Straight on the sniffed connection: the client's product check refuses an OSS 7.10
                # node (build_flavor "oss") for admin, exactly as it refuses a real Open Distro node.
                status, _, body = elastic.transport.connection_pool.connections[0].perform_request("GET", "/movies/_count")
                print(status, json.loads(body)["count"])
                """)
            #expect(output == "True\nMoneyball\nTrue\n200 1\n")
        }
    }
}
