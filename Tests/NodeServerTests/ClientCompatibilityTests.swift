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
}
