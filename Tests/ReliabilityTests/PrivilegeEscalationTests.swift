import Foundation
import JSONValue
import LabTestSupport
import Testing
@testable import NodeServer

/// Attempts to gain rights through the security REST API or the authentication flow
/// (reference §2.3, §6.2, §6.3): every one is refused with the plugin's status and message,
/// nothing changes, and the refusal is audited.
///
/// Callers: `CLIENT1` (certificate, role `own_index` only), `kibanaro` (basic, internal user
/// without REST-API role), `admin` (basic, `all_access`, listed in `restapi.roles_enabled` but
/// not a super-admin) and the admin certificate (super-admin).
@Suite(.serialized) struct PrivilegeEscalationTests {
    static let api = "/_opendistro/_security/api"

    /// The lab config plus a reserved and a hidden role, as a real cluster would have them.
    static func files() throws -> LabFiles {
        let files = try LabFiles()
        let roles = URL(fileURLWithPath: files.securityConfig).appendingPathComponent("roles.yml")
        let extra = """

            locked_role:
              reserved: true
              description: "reserved: only the admin certificate may change it"
              cluster_permissions: ["cluster_monitor"]
            secret_role:
              hidden: true
              description: "hidden: invisible to all but the admin certificate"
              cluster_permissions: ["cluster_monitor"]

            """
        try (try String(contentsOf: roles, encoding: .utf8) + extra).write(to: roles, atomically: true, encoding: .utf8)
        return files
    }

    static func with(_ body: (LabNode, AuditTrail) async throws -> Void) async throws {
        try await LabNode.with(files: files(), adjust: AuditTrail.fileSink) { lab in
            try await body(lab, AuditTrail(lab: lab))
        }
    }

    static func forbidden(_ message: String) -> String {
        #"{"status":"FORBIDDEN","message":""# + message + #""}"#
    }

    @Test func usersWithoutRestAPIRoleCannotEditAnySecurityConfiguration() async throws {
        try await Self.with { lab, trail in
            let before = try await lab.curl("GET", Self.api + "/rolesmapping", as: "admin")
            let attempts: [(String, String, String?)] = [
                ("PUT", "/rolesmapping/all_access", #"{"users":["CLIENT1","kibanaro"]}"#),
                ("PATCH", "/rolesmapping", #"[{"op":"add","path":"/all_access/users/-","value":"kibanaro"}]"#),
                ("PATCH", "/rolesmapping/all_access", #"[{"op":"add","path":"/users/-","value":"kibanaro"}]"#),
                ("PUT", "/internalusers/kibanaro", #"{"password":"Esc4late!","backend_roles":["admin"]}"#),
                ("PUT", "/roles/escalate", #"{"cluster_permissions":["*"]}"#),
                ("DELETE", "/roles/logs_reader", nil),
                ("PUT", "/actiongroups/everything", #"{"allowed_actions":["*"]}"#),
                ("DELETE", "/tenants/admin_tenant", nil),
                ("GET", "/internalusers", nil),
            ]
            let callers: [(client: String?, basic: String?, message: String)] = [
                ("CLIENT1", nil, "No permission to access REST API: User CLIENT1 with Open Distro Security Roles [own_index] does not have any role privileged for admin access. Security admin permissions required but CN=CLIENT1,OU=lab,O=certlab is not an admin"),
                (nil, "kibanaro:kibanaro", "No permission to access REST API: User kibanaro with Open Distro Security Roles [kibana_user, own_index] does not have any role privileged for admin access. No client TLS certificate found in request"),
            ]
            for caller in callers {
                for (method, path, body) in attempts {
                    let mark = await trail.all().count
                    let result = try await lab.curl(method, Self.api + path, as: caller.client, basic: caller.basic, body: body)
                    #expect(result.status == 403, "\(caller.message.prefix(40)) \(method) \(path)")
                    #expect(result.body == Self.forbidden(caller.message), "\(method) \(path)")
                    let events = await trail.events(after: mark, expected: 1)
                    #expect(AuditTrail.categories(events) == ["MISSING_PRIVILEGES"], "\(method) \(path)")
                    #expect(events.first?["audit_rest_request_path"]?.stringValue == Self.api + path)
                    #expect(events.first?["audit_request_effective_user"]?.stringValue == (caller.client ?? "kibanaro"))
                }
            }
            #expect(try await lab.curl("GET", Self.api + "/rolesmapping", as: "admin").body == before.body)
            let kibanaro = try await lab.curl("GET", "/_opendistro/_security/authinfo", basic: "kibanaro:kibanaro")
            #expect(try JSON(parsing: kibanaro.body)["roles"] == ["kibana_user", "own_index"])
        }
    }

    /// `PUT /api/account` takes only `current_password`, `password` and `hash` (reference §6.3),
    /// so a user cannot hand itself backend roles or security roles there. The plugin writes no
    /// audit event for a rejected body (it is not a privilege decision); neither does certlab.
    @Test func selfServiceAccountCannotGrantRoles() async throws {
        try await Self.with { lab, trail in
            for key in ["backend_roles", "opendistro_security_roles"] {
                let mark = await trail.all().count
                let body = #"{"current_password":"kibanaro","password":"Neu-Passw0rt","\#(key)":["admin"]}"#
                let result = try await lab.curl("PUT", Self.api + "/account", basic: "kibanaro:kibanaro", body: body)
                #expect(result.status == 400)
                #expect(result.body == #"{"status":"error","reason":"Invalid configuration","invalid_keys":{"keys":"\#(key)"}}"#)
                #expect(await trail.events(after: mark, expected: 0).isEmpty)
            }
            let client = try await lab.curl("PUT", Self.api + "/account", as: "CLIENT1",
                                            body: #"{"current_password":"x","password":"Neu-Passw0rt"}"#)
            #expect(client.status == 404)
            #expect(client.body == #"{"status":"NOT_FOUND","message":"Could not find user."}"#)
            let kibanaro = try await lab.curl("GET", "/_opendistro/_security/authinfo", basic: "kibanaro:kibanaro")
            #expect(kibanaro.status == 200)
            #expect(try JSON(parsing: kibanaro.body)["backend_roles"] == ["kibanauser", "readall"])
        }
    }

    /// A REST-API admin that is not the super-admin: reserved and static entries are read-only,
    /// hidden ones do not exist for it (reference §3, §6.3). certlab audits the read-only
    /// refusals as MISSING_PRIVILEGES (the reference is silent; the plugin answers them without
    /// an audit event, but a refused write to the security configuration is what an auditor
    /// looks for); the "not available" answers are 404s and not audited.
    @Test func reservedHiddenAndStaticEntriesStayProtected() async throws {
        try await Self.with { lab, trail in
            let readOnly: [(String, String, String?, String)] = [
                ("PUT", "/roles/locked_role", #"{"cluster_permissions":["*"]}"#, "locked_role"),
                ("DELETE", "/roles/locked_role", nil, "locked_role"),
                ("PATCH", "/roles/locked_role", #"[{"op":"replace","path":"/cluster_permissions","value":["*"]}]"#, "locked_role"),
                ("PATCH", "/roles", #"[{"op":"remove","path":"/locked_role"}]"#, "locked_role"),
                ("PUT", "/roles/security_rest_api_access", #"{"cluster_permissions":["*"]}"#, "security_rest_api_access"),
                ("PUT", "/roles/all_access", #"{"cluster_permissions":["*"]}"#, "all_access"),
                ("DELETE", "/roles/all_access", nil, "all_access"),
                ("PUT", "/actiongroups/read", #"{"allowed_actions":["*"]}"#, "read"),
                ("DELETE", "/tenants/global_tenant", nil, "global_tenant"),
                ("PUT", "/internalusers/admin", #"{"password":"Takeover-1!","backend_roles":["admin"]}"#, "admin"),
            ]
            for (method, path, body, name) in readOnly {
                let mark = await trail.all().count
                let result = try await lab.curl(method, Self.api + path, basic: "admin:admin", body: body)
                #expect(result.status == 403, "\(method) \(path)")
                #expect(result.body == Self.forbidden("Resource '\(name)' is read-only."), "\(method) \(path)")
                let events = await trail.events(after: mark, expected: 1)
                #expect(AuditTrail.categories(events) == ["MISSING_PRIVILEGES"], "\(method) \(path)")
                #expect(events.first?["audit_request_effective_user"]?.stringValue == "admin")
            }
            let hidden: [(String, String, String?, String)] = [
                ("GET", "/roles/secret_role", nil, #"{"status":"NOT_FOUND","message":"Resource 'secret_role' is not available."}"#),
                ("PUT", "/roles/secret_role", #"{"cluster_permissions":["*"]}"#, #"{"status":"NOT_FOUND","message":"Resource 'secret_role' is not available."}"#),
                ("DELETE", "/roles/secret_role", nil, #"{"status":"NOT_FOUND","message":"Resource 'secret_role' is not available."}"#),
                ("PUT", "/rolesmapping/secret_role", #"{"users":["kibanaro"]}"#, #"{"status":"NOT_FOUND","message":"Role 'secret_role' is not available for role-mapping."}"#),
                ("PUT", "/internalusers/kibanaro", #"{"opendistro_security_roles":["secret_role"]}"#, #"{"status":"NOT_FOUND","message":"Role 'secret_role' is not available for role-mapping."}"#),
            ]
            for (method, path, body, expected) in hidden {
                let mark = await trail.all().count
                let result = try await lab.curl(method, Self.api + path, basic: "admin:admin", body: body)
                #expect(result.status == 404, "\(method) \(path)")
                #expect(result.body == expected, "\(method) \(path)")
                #expect(await trail.events(after: mark, expected: 0).isEmpty, "\(method) \(path)")
            }
            let listing = try JSON(parsing: try await lab.curl("GET", Self.api + "/roles", basic: "admin:admin").body)
            #expect(listing["secret_role"] == nil)
            #expect(listing["locked_role"]?["reserved"] == true)
            // The super-admin may: the same entries through the admin certificate.
            #expect(try await lab.curl("GET", Self.api + "/roles/secret_role", as: "admin").status == 200)
            let updated = try await lab.curl("PUT", Self.api + "/roles/locked_role", as: "admin", body: #"{"cluster_permissions":["cluster_monitor"]}"#)
            #expect(updated.body == #"{"status":"OK","message":"'locked_role' updated."}"#)
        }
    }

    /// The admin DN is a certificate identity only: presented as a basic-auth user name it
    /// either fails like any unknown user or, when an internal user of that name exists, is
    /// refused with the plugin's 403 text (reference §2.3, §7) — also when written with other
    /// case and blanks, since admin DNs compare as LDAP names (§1.7).
    @Test func adminDNOverBasicAuthIsRefused() async throws {
        try await Self.with { lab, trail in
            let dn = "CN=admin,OU=lab,O=certlab"
            var mark = await trail.all().count
            let unknown = try await lab.curl("GET", "/", basic: "\(dn):whatever")
            #expect(unknown.status == 401)
            #expect(unknown.body == "Unauthorized")
            var events = await trail.events(after: mark, expected: 1)
            #expect(AuditTrail.categories(events) == ["FAILED_LOGIN"])
            #expect(events.first?["audit_request_effective_user"]?.stringValue == dn)

            for name in [dn, "cn=admin, ou=lab, o=certlab"] {
                let created = try await lab.curl("PUT", Self.api + "/internalusers/" + name.replacingOccurrences(of: " ", with: "%20"),
                                                 as: "admin", body: #"{"password":"Dn-Passw0rd!"}"#)
                #expect(created.status == 201, "\(name): \(created.body)")
                mark = await trail.all().count
                let refused = try await lab.curl("GET", "/_opendistro/_security/authinfo", basic: "\(name):Dn-Passw0rd!")
                #expect(refused.status == 403, "\(name)")
                #expect(refused.body == "Cannot authenticate user because admin user is not permitted to login via HTTP", "\(name)")
                events = await trail.events(after: mark, expected: 1)
                #expect(AuditTrail.categories(events) == ["FAILED_LOGIN"], "\(name)")
                #expect(events.first?["audit_request_effective_user"]?.stringValue == name)
            }
        }
    }

    /// Destructive requests on every index (`_all`, `*`) or on the plugin's own index are the
    /// super-admin's alone, whatever a user's roles (ODFE's SecurityIndexAccessEvaluator):
    /// `admin` with `all_access` gets a 403 naming no privilege and an
    /// OPENDISTRO_SECURITY_INDEX_ATTEMPT event; the admin certificate goes through; a pattern
    /// that is not everything is an ordinary request.
    @Test func destructiveRequestsOnEveryIndexAreTheSuperAdminsAlone() async throws {
        try await Self.with { lab, trail in
            for name in ["logs-a", "logs-b"] { #expect(try await lab.curl("PUT", "/\(name)", as: "admin").status == 200) }
            let refusal = #"{"error":{"root_cause":[{"type":"security_exception","reason":"no permissions for [] and User [name=admin, backend_roles=[admin], requestedTenant=null]"}],"type":"security_exception","reason":"no permissions for [] and User [name=admin, backend_roles=[admin], requestedTenant=null]"},"status":403}"#
            for (method, path, body) in [("DELETE", "/_all", nil), ("DELETE", "/*", nil), ("PUT", "/_settings", #"{"index":{"number_of_replicas":0}}"#),
                                         ("POST", "/*/_delete_by_query", #"{"query":{"match_all":{}}}"#), ("DELETE", "/*,-logs-b", nil),
                                         ("PUT", "/.opendistro_security/_doc/x", #"{"a":1}"#),
                                         ("POST", "/_bulk", "{\"index\":{\"_index\":\".opendistro_security\",\"_id\":\"y\"}}\n{\"a\":1}\n")] as [(String, String, String?)] {
                let mark = await trail.all().count
                let result = try await lab.curl(method, path, basic: "admin:admin", body: body)
                #expect(result.status == 403 && result.body == refusal, "\(method) \(path)")
                let events = await trail.events(after: mark, expected: 1)
                #expect(AuditTrail.categories(events) == ["OPENDISTRO_SECURITY_INDEX_ATTEMPT"], "\(method) \(path)")
            }
            #expect(try await lab.curl("GET", "/_cat/indices?h=index&s=index", as: "admin").body == "logs-a\nlogs-b\n")
            #expect(try await lab.curl("DELETE", "/logs-a", basic: "admin:admin").status == 200)
            #expect(try await lab.curl("DELETE", "/_all", as: "admin").body == #"{"acknowledged":true}"#)
            #expect(try await lab.curl("GET", "/_cat/indices", as: "admin").body == "")
        }
    }
}
