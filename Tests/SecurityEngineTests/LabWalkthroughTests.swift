import Foundation
import JSONValue
import Testing
@testable import SecurityEngine

/// The lab's own configuration behaves as the walkthrough describes: admin/admin and
/// kibanaro/kibanaro log in, the admin certificate is super-admin, CLIENT1's certificate
/// authenticates but may only read once `readall` is mapped through the REST API.
@Suite struct LabWalkthroughTests {
    @Test func walkthrough() throws {
        let settings = try NodeSettings(contentsOf: TestSupport.repoRoot.appendingPathComponent("config/node.yml"))
        let service = SecurityService(settings: settings)
        let api = SecurityRestAPI(service: service, store: InMemorySecurityConfigStore())
        try api.start(bootstrap: try SecurityConfiguration(directory: TestSupport.labSecurityConfig, flavor: settings.flavor))

        let admin = try #require(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("admin", "admin")])).user)
        #expect(admin.securityRoles == ["all_access", "own_index", "security_rest_api_access"])
        let reader = try #require(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("kibanaro", "kibanaro")])).user)
        #expect(reader.securityRoles == ["kibana_user", "own_index"])
        #expect(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("admin", "wrong")])).response?.headers
                == ["WWW-Authenticate": "Basic realm=\"Open Distro Security\""])

        let adminCert = try #require(service.authenticate(AuthenticationRequest(principal: "CN=admin,OU=lab,O=certlab")).user)
        #expect(adminCert.isSuperAdmin)

        let client = try #require(service.authenticate(AuthenticationRequest(principal: "CN=CLIENT1,OU=clients,O=certlab")).user)
        #expect(client.name == "CLIENT1" && client.backendRoles == ["clients"] && client.securityRoles == ["own_index"])
        let denied = service.authorize(client, action: "indices:data/read/search", indices: ["logs-1"])
        #expect(denied.response?.bodyText.contains("no permissions for [indices:data/read/search] and User [name=CLIENT1, backend_roles=[clients], requestedTenant=null]") == true)

        let put = api.handle(SecurityAPIRequest(method: "PUT", path: "/_opendistro/_security/api/rolesmapping/readall",
                                                body: Array(#"{"users":["CLIENT1"]}"#.utf8)), user: admin)
        #expect(put.bodyText == #"{"status":"OK","message":"'readall' updated."}"#)
        let again = try #require(service.authenticate(AuthenticationRequest(principal: "CN=CLIENT1,OU=clients,O=certlab")).user)
        #expect(again.securityRoles == ["own_index", "readall"])
        #expect(service.authorize(again, action: "indices:data/read/search", indices: ["logs-1"]).isAllowed)
        #expect(!service.authorize(again, action: "indices:data/write/index", indices: ["logs-1"]).isAllowed)

        let shipper = try #require(service.authenticate(AuthenticationRequest(principal: "CN=beats-shipper,OU=lab,O=certlab")).user)
        let bulk = service.authorizeBulk(shipper, items: [BulkItem(.create, index: "logs-2026.11.29"), BulkItem(.index, index: "secret")])
        #expect(bulk.request.isAllowed && bulk.items.map(\.isAllowed) == [true, false])
    }
}
