import Foundation
import JSONValue
import Testing
@testable import SecurityEngine

/// Audit event model, format version 4 (reference §9).
@Suite struct AuditTests {
    @Test func failedLoginEventFields() {
        var event = AuditEvent(category: .failedLogin, timestamp: Date(timeIntervalSince1970: 1_764_435_722.345), nodeName: "search-node",
                               nodeID: "n1", nodeHostAddress: "127.0.0.1", nodeHostName: "localhost", clusterName: "certlab")
        event.remoteAddress = "127.0.0.1"
        event.effectiveUser = "<NONE>"
        event.effectiveUserIsAdmin = false
        event.restPath = "/_opendistro/_security/api/internalusers/bob"
        event.restMethod = "PUT"
        event.restHeaders = [("Authorization", ["Basic xx"]), ("Host", ["localhost"])]
        event.requestBody = #"{"password":"x"}"#
        #expect(event.json().serialized() == #"{"audit_format_version":4,"audit_category":"FAILED_LOGIN","@timestamp":"2025-11-29T17:02:02.345+00:00","audit_node_id":"n1","audit_node_name":"search-node","audit_node_host_address":"127.0.0.1","audit_node_host_name":"localhost","audit_cluster_name":"certlab","audit_request_layer":"REST","audit_request_origin":"REST","audit_request_remote_address":"127.0.0.1","audit_request_effective_user":"<NONE>","audit_request_effective_user_is_admin":false,"audit_rest_request_path":"/_opendistro/_security/api/internalusers/bob","audit_rest_request_headers":{"Host":["localhost"]},"audit_rest_request_method":"PUT","audit_request_body":"__SENSITIVE__"}"#)
    }

    @Test func categoriesFollowTheConfig() throws {
        let shipped = AuditConfig()
        #expect(!shipped.isEnabled(.authenticated, layer: .rest, user: "alice"))
        #expect(shipped.isEnabled(.failedLogin, layer: .rest, user: "alice"))
        #expect(!shipped.isEnabled(.failedLogin, layer: .rest, user: "kibanaserver"))
        let configuration = try TestSupport.configuration([.audit: """
            config:
              enabled: true
              audit:
                enable_transport: false
                disabled_rest_categories: [NONE]
                ignore_users: [NONE]
            """])
        #expect(configuration.audit.isEnabled(.authenticated, layer: .rest, user: "kibanaserver"))
        #expect(!configuration.audit.isEnabled(.failedLogin, layer: .transport, user: "x"))
        #expect(AuditCategory.allCases.count == 13)
        #expect(AuditCategory.securityIndexAttempt.rawValue == "OPENDISTRO_SECURITY_INDEX_ATTEMPT")
    }
}

extension AuditTests {
    @Test func serviceBuildsEventsOnlyForEnabledCategories() throws {
        let settings = try NodeSettings(contentsOf: TestSupport.repoRoot.appendingPathComponent("config/node.yml"))
        let service = SecurityService(settings: settings, configuration: try SecurityConfiguration(directory: TestSupport.labSecurityConfig, flavor: .openDistro),
                                      now: { Date(timeIntervalSince1970: 0) })
        let request = AuthenticationRequest(method: "GET", path: "/logs-1/_search", headers: [("Authorization", "Basic x"), ("Accept", "a"), ("Accept", "b")],
                                            remoteAddress: "127.0.0.9")
        #expect(service.restAuditEvent(.authenticated, request: request, user: "CLIENT1") == nil)
        let event = try #require(service.restAuditEvent(.missingPrivileges, request: request, user: "CLIENT1", privilege: "indices:data/read/search", indices: ["logs-1"]))
        #expect(event.json().serialized() == #"{"audit_format_version":4,"audit_category":"MISSING_PRIVILEGES","@timestamp":"1970-01-01T00:00:00.000+00:00","audit_node_id":"","audit_node_name":"search-node","audit_node_host_address":"127.0.0.1","audit_node_host_name":"localhost","audit_cluster_name":"certlab","audit_request_layer":"REST","audit_request_origin":"REST","audit_request_remote_address":"127.0.0.9","audit_request_effective_user":"CLIENT1","audit_request_effective_user_is_admin":false,"audit_rest_request_path":"/logs-1/_search","audit_rest_request_headers":{"Accept":["a","b"]},"audit_rest_request_method":"GET","audit_request_privilege":"indices:data/read/search","audit_trace_indices":["logs-1"]}"#)
    }

    /// The service answers from the installed `audit.yml`, and from the shipped defaults before
    /// the first install (the node still audits failed logins while "not initialized").
    @Test func serviceAnswersFromTheInstalledAuditConfig() throws {
        let service = SecurityService(settings: try TestSupport.settings())
        #expect(service.auditLogs(.failedLogin, layer: .rest, user: "alice"))
        #expect(!service.auditLogs(.authenticated, layer: .rest, user: "alice"))
        #expect(!service.auditLogs(.failedLogin, layer: .rest, user: "kibanaserver"))
        service.install(try TestSupport.configuration([.audit: """
            config:
              enabled: true
              audit:
                enable_transport: false
                disabled_rest_categories: [FAILED_LOGIN]
                ignore_users: [bob*]
            """]))
        #expect(service.auditLogs(.authenticated, layer: .rest, user: "alice"))
        #expect(!service.auditLogs(.failedLogin, layer: .rest, user: "alice"))
        #expect(!service.auditLogs(.missingPrivileges, layer: .rest, user: "bobby"))
        #expect(service.auditLogs(.missingPrivileges, layer: .rest, user: "kibanaserver"))
        #expect(!service.auditLogs(.missingPrivileges, layer: .transport, user: "alice"))
    }
}
