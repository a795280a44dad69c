import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// `/_template` through the node, the way Beats and Logstash set one up before shipping
/// (`HEAD`, then `PUT` if absent), with the lab shipper's own certificate and role.
@Suite(.serialized) struct TemplateEndpointsTests {
    @Test func shipperInstallsATemplateAndItsIndicesStartFromIt() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("HEAD", "/_template/certlab-logs", as: "beats-shipper").status == 404)
            let template = #"{"index_patterns":["certlab-logs-*"],"order":1,"settings":{"index":{"number_of_replicas":0,"refresh_interval":"5s"}},"mappings":{"properties":{"log":{"properties":{"offset":{"type":"long"}}},"host":{"properties":{"name":{"type":"keyword"}}}}}}"#
            let put = try await lab.curl("PUT", "/_template/certlab-logs", as: "beats-shipper", body: template)
            #expect(put.status == 200 && put.body == #"{"acknowledged":true}"#)
            #expect(try await lab.curl("HEAD", "/_template/certlab-logs", as: "beats-shipper").status == 200)

            let lines = #"{"create":{"_index":"certlab-logs-2026.11.30"}}"# + "\n" + #"{"message":"GET /","log":{"offset":7},"host":{"name":"web-1"}}"# + "\n"
            let bulk = try await lab.curl("POST", "/_bulk", as: "beats-shipper", body: lines, contentType: "application/x-ndjson")
            #expect(bulk.status == 200 && bulk.body.contains(#""errors":false"#))
            let mapping = try await lab.curl("GET", "/certlab-logs-2026.11.30/_mapping?filter_path=*.mappings.properties.host,*.mappings.properties.log", as: "admin")
            #expect(mapping.body == #"{"certlab-logs-2026.11.30":{"mappings":{"properties":{"host":{"properties":{"name":{"type":"keyword"}}},"log":{"properties":{"offset":{"type":"long"}}}}}}}"#)
            #expect(try await lab.curl("GET", "/_cluster/health/certlab-logs-*?filter_path=status", as: "admin").body == #"{"status":"green"}"#)

            let listed = try await lab.curl("GET", "/_template/certlab-*?filter_path=*.order,*.index_patterns,*.settings", as: "admin")
            #expect(listed.body == #"{"certlab-logs":{"order":1,"index_patterns":["certlab-logs-*"],"settings":{"index":{"number_of_replicas":"0","refresh_interval":"5s"}}}}"#)
            #expect(try await lab.curl("GET", "/_cat/templates?h=name,index_patterns,order", as: "admin").body == "certlab-logs [certlab-logs-*] 1\n")

            // The shipper's role may read and write templates, not delete them.
            let refused = try await lab.curl("DELETE", "/_template/certlab-logs", as: "beats-shipper")
            #expect(refused.status == 403 && refused.body.contains("no permissions for [indices:admin/template/delete] and User [name=beats-shipper"))
            #expect(try await lab.curl("DELETE", "/_template/certlab-logs", as: "admin").body == #"{"acknowledged":true}"#)
            let missing = try await lab.curl("GET", "/_template/certlab-logs", as: "admin")
            #expect(missing.status == 404 && missing.body == "{}")
            let bad = try await lab.curl("PUT", "/_template/geo", as: "admin", body: #"{"index_patterns":["geo-*"],"mappings":{"properties":{"at":{"type":"geo_point"}}}}"#)
            #expect(bad.status == 400 && bad.body.contains(#""type":"mapper_parsing_exception","reason":"No handler for type [geo_point] declared on field [at]""#))
        }
    }
}
