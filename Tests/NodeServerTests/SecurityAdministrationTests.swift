import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// Who may change the security configuration over HTTP (reference §6.2, §6.3, §8): the admin
/// certificate, users with a REST-API role, nobody else; protected entries stay protected.
@Suite(.serialized) struct SecurityAdministrationTests {
    static let upload = "/_opendistro/_security/api/certlab/securityconfig"

    @Test func adminCertificateUploadsTypesAtomicallyAndOthersAreRefused() async throws {
        try await LabNode.with { lab in
            #expect(try await lab.curl("PUT", "/movies/_doc/3", as: "admin", body: #"{"title":"Moneyball"}"#).status == 201)
            let mapping = """
                _meta: {type: rolesmapping, config_version: 2}
                readall: {users: [CLIENT1]}
                all_access: {users: [admin], backend_roles: [admin]}
                security_rest_api_access: {backend_roles: [admin]}
                """
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["rolesmapping": mapping]), as: UTF8.self)

            let refused = try await lab.curl("PUT", Self.upload, as: "CLIENT1", body: body)
            #expect(refused.status == 403)
            #expect(refused.body.hasPrefix(#"{"status":"FORBIDDEN","message":"CLIENT1 is not an admin user; only a certificate listed in opendistro_security.authcz.admin_dn"#))

            let broken = try await lab.curl("PUT", Self.upload, as: "admin",
                                             body: #"{"rolesmapping":"_meta: {type: rolesmapping, config_version: 2}\nreadall:\n  userz: [CLIENT1]\n","roles":"_meta: {type: roles, config_version: 2}\n"}"#)
            #expect(broken.status == 400)
            #expect(broken.body.contains("roles_mapping.yml:3"))
            #expect(broken.body.contains("userz"))
            #expect(try await lab.curl("GET", "/movies/_doc/3", as: "CLIENT1").status == 403)

            let before = try await lab.curl("GET", Self.upload, as: "admin")
            #expect(before.body.hasPrefix(#"{"version":1,"documents":{"config":{"_meta":{"type":"config","config_version":2}"#))
            let uploaded = try await lab.curl("PUT", Self.upload + "?expected_version=1", as: "admin", body: body)
            #expect(uploaded.status == 200)
            #expect(uploaded.body == #"{"status":"OK","message":"Uploaded 1 configuration type(s)","version":2,"types":["rolesmapping"]}"#)
            #expect(try await lab.curl("GET", "/movies/_doc/3", as: "CLIENT1").status == 200)
            let stale = try await lab.curl("PUT", Self.upload + "?expected_version=1", as: "admin", body: body)
            #expect(stale.status == 409)
            #expect(stale.body == #"{"status":"CONFLICT","message":"version conflict, required version [1], current version [2]"}"#)
        }
    }

    @Test func nonAdminCannotTouchTheSecurityConfigurationButRestRolesCan() async throws {
        try await LabNode.with { lab in
            let denied = try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/all_access", as: "CLIENT1", body: #"{"users":["CLIENT1"]}"#)
            #expect(denied.status == 403)
            #expect(denied.body.hasPrefix(#"{"status":"FORBIDDEN","message":"No permission to access REST API: User CLIENT1 with Open Distro Security Roles [own_index] does not have any role privileged for admin access. "#))
            // admin (basic) holds all_access, which is in restapi.roles_enabled.
            let allowed = try await lab.curl("PUT", "/_opendistro/_security/api/rolesmapping/readall", basic: "admin:admin", body: #"{"users":["CLIENT1"]}"#)
            #expect(allowed.status == 200)
        }
    }

    @Test func staticEntriesAreReadOnlyEvenForTheAdminCertificate() async throws {
        try await LabNode.with { lab in
            let result = try await lab.curl("PUT", "/_opendistro/_security/api/roles/all_access", as: "admin",
                                             body: #"{"cluster_permissions":["*"]}"#)
            #expect(result.status == 403)
            #expect(result.body == #"{"status":"FORBIDDEN","message":"Resource 'all_access' is read-only."}"#)
        }
    }

    @Test func beforeInitializationOnlyTheAdminCertificateGetsIn() async throws {
        try await LabNode.with(adjust: { $0.securityConfigDirectory = nil }) { lab in
            let anonymous = try await lab.curl("GET", "/", as: "CLIENT1")
            #expect(anonymous.status == 503)
            #expect(anonymous.body == "Open Distro Security not initialized.")
            #expect(try await lab.curl("GET", "/", as: "admin").status == 200)
        }
    }

    @Test func forbiddenThreadContextHeadersAreRefused() async throws {
        try await LabNode.with { lab in
            let result = try await run("curl", ["-sS", "-w", "\n%{http_code}", "--cacert", lab.cert("root-ca"), "--cert", lab.cert("admin"),
                                                "--key", lab.key("admin"), "-H", "_opendistro_security_user: admin", lab.url + "/"])
            #expect(result.output.hasSuffix("\n403"))
            #expect(result.output.contains("Illegal parameter in http or transport request found."))
        }
    }
}
