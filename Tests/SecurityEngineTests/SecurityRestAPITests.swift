import Foundation
import JSONValue
import Testing
@testable import SecurityEngine

/// REST API semantics and messages for both flavors, byte for byte (reference §6).
@Suite struct SecurityRestAPITests {
    struct Fixture {
        let api: SecurityRestAPI
        let store: InMemorySecurityConfigStore
        let flavor: Flavor
        let admin = User(name: "CN=admin,OU=lab,O=certlab", isSuperAdmin: true)
        let restUser = User(name: "ops", securityRoles: ["security_rest_api_access"])

        init(_ flavor: Flavor, settings extra: String = "") throws {
            self.flavor = flavor
            let configuration = try TestSupport.configuration([
                .internalusers: "alice:\n  hash: \"\(AuthenticationTests.aliceHash)\"\n  backend_roles: [ops]\n",
                .roles: """
                security_rest_api_access:
                  reserved: true
                res_role:
                  reserved: true
                  cluster_permissions: [cluster_monitor]
                hidden_role:
                  hidden: true
                logs_reader:
                  index_permissions:
                    - index_patterns: ["logs-*"]
                      allowed_actions: [read]
                """,
                .rolesmapping: "all_access:\n  backend_roles: [admin]\n",
                .actiongroups: "my_group:\n  allowed_actions: [\"indices:data/read/search\"]\n  type: index\n",
            ], flavor: flavor)
            let service = SecurityService(settings: try TestSupport.settings(flavor, extra: extra), configuration: nil)
            store = InMemorySecurityConfigStore()
            api = SecurityRestAPI(service: service, store: store)
            try api.start(bootstrap: configuration)
        }

        func call(_ method: String, _ path: String, _ body: String? = nil, user: User? = nil, principal: String? = nil,
                  isTLS: Bool = true, contentType: String = "application/json") -> SecurityResponse {
            let caller = user ?? admin
            let request = SecurityAPIRequest(method: method, path: flavor.restPrefix + path, body: body.map { Array($0.utf8) },
                                             contentType: contentType, isTLS: isTLS,
                                             principal: principal ?? (caller.isSuperAdmin ? caller.name : nil))
            return api.handle(request, user: caller)
        }

        func legacy(_ odfe: String, _ os: String) -> String { flavor == .openDistro ? odfe : os }
    }

    static func message(_ status: String, _ text: String) -> String {
        JSON.object(["status": .string(status), "message": .string(text)]).serialized()
    }

    @Test(arguments: Flavor.allCases)
    func createUpdateDeleteLifecycle(flavor: Flavor) throws {
        let f = try Fixture(flavor)
        let put = f.call("PUT", "/api/rolesmapping/readall", #"{"users":["CLIENT1"]}"#, user: f.restUser)
        #expect(put.status == 201 && put.bodyText == #"{"status":"CREATED","message":"'readall' created."}"#)
        #expect(put.contentType == "application/json; charset=UTF-8")
        let again = f.call("PUT", "/api/rolesmapping/readall", #"{"users":["CLIENT1","CLIENT2"]}"#, user: f.restUser)
        #expect(again.status == 200 && again.bodyText == #"{"status":"OK","message":"'readall' updated."}"#)
        // The change is stored and live.
        #expect(try f.store.load()?.version == 3)
        #expect(f.api.service.authorize(User(name: "CLIENT2"), action: "indices:data/read/search", indices: ["x"]).isAllowed)
        let get = f.call("GET", "/api/rolesmapping/readall", user: f.restUser)
        #expect(get.bodyText == #"{"readall":{"reserved":false,"hidden":false,"backend_roles":[],"hosts":[],"users":["CLIENT1","CLIENT2"],"and_backend_roles":[]}}"#)
        let delete = f.call("DELETE", "/api/rolesmapping/readall", user: f.restUser)
        #expect(delete.status == 200 && delete.bodyText == #"{"status":"OK","message":"'readall' deleted."}"#)
        let missing = f.call("DELETE", "/api/rolesmapping/readall", user: f.restUser)
        #expect(missing.status == 404)
        #expect(missing.bodyText == Self.message("NOT_FOUND", f.legacy("rolesmapping readall not found.", "rolesmapping 'readall' not found.")))
    }

    @Test(arguments: Flavor.allCases)
    func notFoundAndNameMessages(flavor: Flavor) throws {
        let f = try Fixture(flavor)
        #expect(f.call("GET", "/api/roles/nope").bodyText == Self.message("NOT_FOUND", f.legacy("Resource 'nope' not found.", "role 'nope' not found.")))
        #expect(f.call("PUT", "/api/rolesmapping/", #"{"users":["a"]}"#).bodyText == Self.message("BAD_REQUEST", "No rolesmapping specified."))
        #expect(f.call("DELETE", "/api/internalusers").bodyText == Self.message("BAD_REQUEST", "No user specified."))
        let post = f.call("POST", "/api/roles/x", "{}")
        #expect(post.status == 501 && post.bodyText == Self.message("NOT_IMPLEMENTED", "Method POST not supported for this action."))
        let ghost = f.call("PUT", "/api/rolesmapping/ghost", #"{"users":["a"]}"#)
        #expect(ghost.status == 404)
        #expect(ghost.bodyText == Self.message("NOT_FOUND", f.legacy("Role 'ghost' is not available for role-mapping.", "role 'ghost' not found.")))
        let userRole = f.call("PUT", "/api/internalusers/bob", #"{"password":"pw","opendistro_security_roles":["ghost"]}"#)
        #expect(userRole.bodyText == Self.message("NOT_FOUND", f.legacy("Role 'ghost' is not available for role-mapping.", "role 'ghost' not found.")))
        let patchMissing = f.call("PATCH", "/api/roles/ghost", #"[{"op":"add","path":"/description","value":"x"}]"#)
        #expect(patchMissing.bodyText == Self.message("NOT_FOUND", f.legacy("role ghost not found.", "role 'ghost' not found.")))
    }

    @Test(arguments: Flavor.allCases)
    func reservedHiddenAndStaticProtection(flavor: Flavor) throws {
        let f = try Fixture(flavor)
        let hidden = f.call("GET", "/api/roles/hidden_role", user: f.restUser)
        #expect(hidden.status == 404 && hidden.bodyText == Self.message("NOT_FOUND", "Resource 'hidden_role' is not available."))
        #expect(f.call("DELETE", "/api/roles/hidden_role", user: f.restUser).bodyText == Self.message("NOT_FOUND", "Resource 'hidden_role' is not available."))
        #expect(!f.call("GET", "/api/roles", user: f.restUser).bodyText.contains("hidden_role"))
        #expect(f.call("GET", "/api/roles").bodyText.contains("\"hidden_role\""))
        let reserved = f.call("PUT", "/api/roles/res_role", #"{"cluster_permissions":["*"]}"#, user: f.restUser)
        #expect(reserved.status == 403)
        #expect(reserved.bodyText == Self.message("FORBIDDEN", f.legacy("Resource 'res_role' is read-only.", "Resource 'res_role' is reserved.")))
        let staticRole = f.call("DELETE", "/api/roles/all_access", user: f.restUser)
        #expect(staticRole.bodyText == Self.message("FORBIDDEN", f.legacy("Resource 'all_access' is read-only.", "Resource 'all_access' is static.")))
        #expect(f.call("DELETE", "/api/actiongroups/read").bodyText == Self.message("FORBIDDEN", f.legacy("Resource 'read' is read-only.", "Resource 'read' is static.")))
        // The admin certificate may change reserved entries.
        #expect(f.call("PUT", "/api/roles/res_role", #"{"cluster_permissions":["*"],"reserved":true}"#).bodyText == Self.message("OK", "'res_role' updated."))
    }

    @Test(arguments: Flavor.allCases)
    func validationBodies(flavor: Flavor) throws {
        let f = try Fixture(flavor)
        #expect(f.call("PUT", "/api/rolesmapping/readall", #"{"users":["a"],"foo":1,"bar":2}"#).bodyText
                == #"{"status":"error","reason":"Invalid configuration","invalid_keys":{"keys":"bar,foo"}}"#)
        #expect(f.call("PUT", "/api/rolesmapping/readall", "{}").bodyText == f.legacy(
            #"{"status":"error","reason":"Invalid configuration"}"#,
            #"{"status":"error","reason":"Invalid configuration","specify_one_of":{"keys":"backend_roles,hosts,and_backend_roles,users"}}"#))
        #expect(f.call("PUT", "/api/actiongroups/g", #"{"description":"x"}"#).bodyText == f.legacy(
            #"{"status":"error","reason":"Invalid configuration","missing_mandatory_keys":{"keys":"allowed_actions"},"specify_one_of":{"keys":"allowed_actions"}}"#,
            #"{"status":"error","reason":"Invalid configuration","missing_mandatory_keys":{"keys":"allowed_actions"}}"#))
        #expect(f.call("PUT", "/api/rolesmapping/readall", #"{"users":"a"}"#).bodyText == #"{"status":"error","reason":"Wrong datatype","users":"Array expected"}"#)
        #expect(f.call("PUT", "/api/roles/r", #"{"description":["x"]}"#).bodyText == #"{"status":"error","reason":"Wrong datatype","description":"String expected"}"#)
        #expect(f.call("PUT", "/api/roles/r", "{not json").bodyText == #"{"status":"error","reason":"Could not parse content of request."}"#)
        #expect(f.call("PUT", "/api/roles/r").bodyText == #"{"status":"error","reason":"Request body required for this action."}"#)
        #expect(f.call("PUT", "/api/internalusers/bob", #"{"backend_roles":["x"]}"#).bodyText
                == Self.message("BAD_REQUEST", "Please specify either 'hash' or 'password' when creating a new internal user."))
    }

    @Test func openSearchActionGroupRules() throws {
        let f = try Fixture(.openSearch)
        #expect(f.call("PUT", "/api/actiongroups/g", #"{"allowed_actions":["a"],"type":"kibana"}"#).bodyText
                == Self.message("BAD_REQUEST", "Invalid action group type: kibana. Supported types are: cluster, index."))
        #expect(f.call("PUT", "/api/actiongroups/g", #"{"allowed_actions":["g"]}"#).bodyText == Self.message("BAD_REQUEST", "g cannot be an allowed_action of itself"))
        #expect(f.call("PUT", "/api/actiongroups/logs_reader", #"{"allowed_actions":["a"]}"#).bodyText
                == Self.message("BAD_REQUEST", "logs_reader is an existing role. A action group cannot be named with an existing role name."))
    }

    @Test(arguments: Flavor.allCases)
    func internalUsersAreHashedAndHashesHidden(flavor: Flavor) throws {
        let f = try Fixture(flavor)
        #expect(f.call("PUT", "/api/internalusers/bob", #"{"password":"s3cret","backend_roles":["ops"]}"#).status == 201)
        let stored = try #require(f.api.service.configuration?.internalUsers["bob"])
        #expect(stored.hash.hasPrefix("$2b$12$") && SecurityEngineTools.bcryptVerify("s3cret", hash: stored.hash))
        #expect(f.call("GET", "/api/internalusers/bob").bodyText
                == #"{"bob":{"hash":"","reserved":false,"hidden":false,"backend_roles":["ops"],"attributes":{},"opendistro_security_roles":[],"static":false}}"#)
        #expect(f.call("PUT", "/api/internalusers/bob", #"{"backend_roles":["dev"]}"#).bodyText == Self.message("OK", "'bob' updated."))
        #expect(f.api.service.configuration?.internalUsers["bob"]?.hash == stored.hash)
    }

    @Test(arguments: Flavor.allCases)
    func patchSingleAndCollection(flavor: Flavor) throws {
        let f = try Fixture(flavor)
        #expect(f.call("PATCH", "/api/roles/logs_reader", "[]", contentType: "text/plain").bodyText == Self.message("BAD_REQUEST", "PATCH accepts only application/json"))
        let single = f.call("PATCH", "/api/roles/logs_reader", #"[{"op":"add","path":"/index_permissions/0/allowed_actions/-","value":"indices:admin/mappings/get"}]"#)
        #expect(single.bodyText == Self.message("OK", "'logs_reader' updated."))
        #expect(f.api.service.configuration?.roles["logs_reader"]?.indexPermissions.first?.allowedActions == ["read", "indices:admin/mappings/get"])
        let collection = f.call("PATCH", "/api/rolesmapping", #"[{"op":"add","path":"/readall","value":{"users":["CLIENT1"]}},{"op":"remove","path":"/all_access"}]"#)
        #expect(collection.bodyText == Self.message("OK", "Resource updated."))
        #expect(f.api.service.configuration?.roleMappings.names == ["readall"])
        let flag = f.call("PATCH", "/api/roles/logs_reader", #"[{"op":"add","path":"/reserved","value":true}]"#, user: f.restUser)
        #expect(flag.status == 409 && flag.bodyText == Self.message("CONFLICT", "Attempted to update read-only property."))
        let protected = f.call("PATCH", "/api/roles", #"[{"op":"remove","path":"/res_role"}]"#, user: f.restUser)
        #expect(protected.bodyText == Self.message("FORBIDDEN", f.legacy("Resource 'res_role' is read-only.", "Resource 'res_role' is reserved.")))
        let broken = f.call("PATCH", "/api/roles/logs_reader", #"[{"op":"replace","path":"/nope","value":1}]"#)
        #expect(broken.bodyText == Self.message("BAD_REQUEST", "Error in JSON patch: no such path: /nope"))
        let invalid = f.call("PATCH", "/api/roles/logs_reader", #"[{"op":"add","path":"/foo","value":1}]"#)
        #expect(invalid.bodyText == #"{"status":"error","reason":"Invalid configuration","invalid_keys":{"keys":"foo"}}"#)
    }

    @Test(arguments: Flavor.allCases)
    func whoMayCall(flavor: Flavor) throws {
        let f = try Fixture(flavor)
        let words = f.legacy("Open Distro Security Roles", "Security roles")
        let plain = User(name: "plain", securityRoles: ["own_index", "readall"])
        let denied = f.call("GET", "/api/roles", user: plain)
        #expect(denied.status == 403)
        #expect(denied.bodyText == Self.message("FORBIDDEN", "No permission to access REST API: User plain with \(words) [own_index, readall] does not have any role privileged for admin access. No client TLS certificate found in request"))
        #expect(f.call("GET", "/api/roles", user: plain, isTLS: false).bodyText
                == Self.message("FORBIDDEN", "No permission to access REST API: User plain with \(words) [own_index, readall] does not have any role privileged for admin access. No ssl info found in request."))
        #expect(f.call("GET", "/api/roles", user: plain, principal: "CN=CLIENT1,O=certlab").bodyText
                == Self.message("FORBIDDEN", "No permission to access REST API: User plain with \(words) [own_index, readall] does not have any role privileged for admin access. Security admin permissions required but CN=CLIENT1,O=certlab is not an admin"))
        // ACCOUNT is open to every authenticated user.
        #expect(f.call("GET", "/api/account", user: plain).status == 200)
        let disabled = try Fixture(flavor, settings: "\(flavor.settingsPrefix)restapi.endpoints_disabled.security_rest_api_access.ROLES: [\"DELETE\"]")
        #expect(disabled.call("DELETE", "/api/roles/logs_reader", user: disabled.restUser).bodyText
                == Self.message("FORBIDDEN", "No permission to access REST API: User ops with \(words) [security_rest_api_access] does not have any access to endpoint ROLES and method DELETE. No client TLS certificate found in request"))
        #expect(disabled.call("GET", "/api/roles/logs_reader", user: disabled.restUser).status == 200)
    }

    @Test func roleBasedAccessNotEnabled() throws {
        let service = SecurityService(settings: try NodeSettings(yaml: "opendistro_security.authcz.admin_dn: [\"CN=admin,OU=lab,O=certlab\"]\n", file: "node.yml"),
                                      configuration: try TestSupport.configuration([:]))
        let api = SecurityRestAPI(service: service, store: InMemorySecurityConfigStore())
        let response = api.handle(SecurityAPIRequest(method: "GET", path: "/_opendistro/_security/api/roles"), user: User(name: "x", securityRoles: ["all_access"]))
        #expect(response.bodyText == Self.message("FORBIDDEN", "No permission to access REST API: Role based access not enabled.. No client TLS certificate found in request"))
    }

    @Test func notInitialisedAndInfoBodies() throws {
        let service = SecurityService(settings: try TestSupport.settings())
        let api = SecurityRestAPI(service: service, store: InMemorySecurityConfigStore())
        let admin = User(name: "CN=admin,OU=lab,O=certlab", isSuperAdmin: true)
        let request = SecurityAPIRequest(method: "GET", path: "/_opendistro/_security/api/roles", principal: admin.name)
        #expect(api.handle(request, user: admin).bodyText == Self.message("INTERNAL_SERVER_ERROR", "Security index not initialized"))
        let health = api.handle(SecurityAPIRequest(method: "GET", path: "/_opendistro/_security/health"), user: nil)
        #expect(health.status == 503 && health.bodyText == #"{"message":"Not initialized","mode":"strict","status":"DOWN"}"#)
        try api.start(bootstrap: try TestSupport.configuration([.rolesmapping: "all_access:\n  backend_roles: [admin]\n"]))
        #expect(api.handle(SecurityAPIRequest(method: "GET", path: "/_opendistro/_security/health"), user: nil).bodyText
                == #"{"message":null,"mode":"strict","status":"UP"}"#)
        let user = service.resolveRoles(User(name: "admin", backendRoles: ["admin"]))
        let info = api.handle(SecurityAPIRequest(method: "GET", path: "/_opendistro/_security/authinfo", remoteAddressWithPort: "127.0.0.1:54013"), user: user)
        #expect(info.bodyText == #"{"user":"User [name=admin, backend_roles=[admin], requestedTenant=null]","user_name":"admin","user_requested_tenant":null,"remote_address":"127.0.0.1:54013","backend_roles":["admin"],"custom_attribute_names":[],"roles":["all_access"],"tenants":{"admin":true,"global_tenant":true},"principal":null,"peer_certificates":"0","sso_logout_url":null}"#)
    }

    @Test func openSearchWhoami() throws {
        let f = try Fixture(.openSearch)
        let whoami = f.api.handle(SecurityAPIRequest(method: "GET", path: "/_plugins/_security/whoami", principal: "CN=admin,OU=lab,O=certlab"), user: nil)
        #expect(whoami.bodyText == #"{"dn":"CN=admin,OU=lab,O=certlab","is_admin":true,"is_node_certificate_request":false}"#)
        let plain = f.api.handle(SecurityAPIRequest(method: "GET", path: "/_plugins/_security/whoami", isTLS: false), user: nil)
        #expect(plain.status == 403 && plain.bodyText == "No security data")
        // The legacy prefix is routed too on OpenSearch.
        #expect(f.api.handle(SecurityAPIRequest(method: "GET", path: "/_opendistro/_security/api/roles/logs_reader", principal: f.admin.name), user: f.admin).status == 200)
    }

    @Test func accountPasswordChange() throws {
        let f = try Fixture(.openDistro)
        let alice = User(name: "alice", backendRoles: ["ops"], isInternal: true)
        #expect(f.call("PUT", "/api/account", #"{"current_password":"wrong","password":"n3w"}"#, user: alice).bodyText
                == Self.message("BAD_REQUEST", "Could not validate your current password."))
        #expect(f.call("PUT", "/api/account", #"{"current_password":"alice-pw","password":"n3w"}"#, user: alice).bodyText == Self.message("OK", "'alice' updated."))
        #expect(f.call("PUT", "/api/account", #"{"current_password":"x","password":"y"}"#, user: User(name: "CLIENT1")).bodyText
                == Self.message("NOT_FOUND", "Could not find user."))
        #expect(f.call("GET", "/api/account", user: alice).bodyText
                == #"{"user_name":"alice","is_reserved":false,"is_hidden":false,"is_internal_user":true,"user_requested_tenant":null,"backend_roles":["ops"],"custom_attribute_names":[],"tenants":{"alice":true},"roles":[]}"#)
    }
}

extension SecurityRestAPITests {
    @Test func cacheAndAuditEndpoints() throws {
        let f = try Fixture(.openDistro)
        #expect(f.call("DELETE", "/api/cache").bodyText == Self.message("OK", "Cache flushed successfully."))
        #expect(f.call("GET", "/api/cache").bodyText == Self.message("NOT_IMPLEMENTED", "Method GET not supported for this action."))
        #expect(f.call("GET", "/api/audit").bodyText
                == #"{"_readonly":["/audit/exclude_sensitive_headers","/compliance/internal_config","/compliance/external_config"],"config":{}}"#)
    }
}
