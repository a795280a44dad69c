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
}
