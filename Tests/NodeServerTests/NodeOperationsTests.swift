import Foundation
import LabTestSupport
import PKI
import Testing
@testable import NodeServer

/// Certificate rotation, CRL updates, request limits, audit and metrics on a running node.
@Suite(.serialized) struct NodeOperationsTests {
    func nodeRequest(named name: String, dn: String) throws -> CertificateRequest {
        CertificateRequest(subject: try DistinguishedName(parsing: dn), profile: .node, dnsNames: ["search-node", "localhost"],
                           ipAddresses: ["127.0.0.1"], registeredID: "1.2.3.4.5.5", validityDays: 826)
    }

    func servedSerial(_ lab: LabNode) async throws -> String {
        let result = try await run("/bin/sh", ["-c", "echo | openssl s_client -connect 127.0.0.1:\(lab.port) -CAfile \(lab.cert("root-ca")) 2>/dev/null | openssl x509 -noout -serial"])
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func reloadcertsServesTheNewCertificateToNewConnections() async throws {
        try await LabNode.with { lab in
            let before = try await servedSerial(lab)
            let certs = try CertificateDirectory(path: lab.directory.path("certs"), create: false)
            _ = try CertificateIssuance.issue(try nodeRequest(named: "search-node", dn: "CN=search-node,OU=node,O=certlab"),
                                              name: "search-node", directory: certs)
            let nonAdmin = try await lab.curl("PUT", "/_opendistro/_security/api/ssl/http/reloadcerts", basic: "admin:admin")
            #expect(nonAdmin.status == 403)
            let reloaded = try await lab.curl("PUT", "/_opendistro/_security/api/ssl/http/reloadcerts", as: "admin")
            #expect(reloaded.status == 200)
            #expect(reloaded.body == #"{"message":"updated http certs"}"#)
            let after = try await servedSerial(lab)
            #expect(before.hasPrefix("serial=") && after.hasPrefix("serial=") && before != after)
        }
    }

    @Test func reloadcertsRefusesADifferentSubject() async throws {
        try await LabNode.with { lab in
            let certs = try CertificateDirectory(path: lab.directory.path("certs"), create: false)
            _ = try CertificateIssuance.issue(try nodeRequest(named: "search-node", dn: "CN=impostor,OU=node,O=certlab"),
                                              name: "search-node", directory: certs)
            let result = try await lab.curl("PUT", "/_opendistro/_security/api/ssl/http/reloadcerts", as: "admin")
            #expect(result.status == 500)
            #expect(result.body == #"{"error":"ElasticsearchSecurityException[Error while initializing http SSL layer from PEM: java.lang.Exception: New Certs do not have valid Issuer DN, Subject DN or SAN.]"}"#)
            let bad = try await lab.curl("PUT", "/_opendistro/_security/api/ssl/nonsense/reloadcerts", as: "admin")
            #expect(bad.status == 403)
            _ = try CertificateIssuance.issue(try nodeRequest(named: "search-node", dn: "CN=search-node,OU=node,O=certlab"),
                                              name: "search-node", directory: certs, now: Date().addingTimeInterval(-10 * 86_400))
            let early = try await lab.curl("PUT", "/_opendistro/_security/api/ssl/http/reloadcerts", as: "admin")
            #expect(early.body == #"{"error":"ElasticsearchSecurityException[Error while initializing http SSL layer from PEM: java.lang.Exception: New certificates should not expire before the current ones.]"}"#)
            #expect(bad.body == #"{"message":"invalid uri path, please use /_opendistro/_security/api/ssl/http/reload or /_opendistro/_security/api/ssl/transport/reload"}"#)
        }
    }

    @Test func aRevocationTakesEffectWithoutRestart() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("GET", "/_opendistro/_security/authinfo", as: "CLIENT1").status == 200)
            let certs = try CertificateDirectory(path: lab.directory.path("certs"), create: false)
            try CertificateIssuance.revoke(name: "CLIENT1", serial: nil, reason: .keyCompromise, directory: certs)
            try await Task.sleep(for: .milliseconds(1_200))
            let refused = try await lab.curl("GET", "/_opendistro/_security/authinfo", as: "CLIENT1")
            #expect(refused.status == 403)
            #expect(refused.body.contains("Unable to validate certificate (CRL)"))
        }
    }

    @Test func plainHTTPOnTheTLSPortIsClosedAndTheNodeKeepsServing() async throws {
        try await LabNode.with { lab in
            let plain = try await run("curl", ["-sS", "http://127.0.0.1:\(lab.port)/"])
            #expect(plain.status == 52 || plain.status == 56)
            #expect(try await lab.curl("GET", "/", as: "admin").status == 200)
        }
    }

    @Test func bodiesOverMaxContentLengthGet413AndGzipBodiesAreInflated() async throws {
        try await LabNode.with(adjust: { $0.maxContentLength = 4_096 }) { lab in
            let big = "{\"message\":\"" + String(repeating: "x", count: 5_000) + "\"}"
            #expect(try await lab.curl("POST", "/logs-a/_doc", as: "admin", body: big).status == 413)
            let gzipped = lab.directory.path("body.json.gz")
            _ = try await run("/bin/sh", ["-c", "printf '{\"message\":\"zipped\"}' | gzip > \(gzipped)"])
            let result = try await run("curl", ["-sS", "-w", "\n%{http_code}", "--cacert", lab.cert("root-ca"), "--cert", lab.cert("admin"),
                                                "--key", lab.key("admin"), "-H", "Content-Type: application/json", "-H", "Content-Encoding: gzip",
                                                "--data-binary", "@" + gzipped, lab.url + "/logs-a/_doc/z"])
            #expect(result.output.hasSuffix("\n201"))
            #expect(try await lab.curl("GET", "/logs-a/_doc/z", as: "admin").body.contains(#""_source":{"message":"zipped"}"#))
        }
    }

    @Test func failedLoginsAreAuditedIntoTheAuditIndex() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("GET", "/", basic: "admin:wrong").status == 401)
            try await Task.sleep(for: .milliseconds(1_500))
            let search = try await lab.curl("GET", "/security-auditlog-*/_search?q=audit_category:FAILED_LOGIN&filter_path=hits.hits._source.audit_category,hits.hits._source.audit_request_effective_user,hits.hits._source.audit_format_version", as: "admin")
            #expect(search.status == 200)
            #expect(search.body == #"{"hits":{"hits":[{"_source":{"audit_format_version":4,"audit_category":"FAILED_LOGIN","audit_request_effective_user":"admin"}}]}}"#)
        }
    }

    @Test func prometheusMetricsNeedClusterMonitorRights() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("GET", "/", as: "admin").status == 200)
            let metrics = try await lab.curl("GET", "/_prometheus/metrics", as: "admin")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains(#"certlab_http_requests_total{method="GET",status="200"}"#))
            #expect(try await lab.curl("GET", "/_prometheus/metrics", as: "CLIENT1").status == 403)
        }
    }
}
