import Foundation
import JSONValue
import Testing
@testable import SecurityEngine

/// The versioned store contract and the startup path through it (reference §3.6, §6.3).
@Suite struct SecurityConfigStoreTests {
    @Test func versionsConflictsAndHistory() throws {
        let store = InMemorySecurityConfigStore()
        #expect(try store.load() == nil)
        #expect(try store.replace([.tenants: ["_meta": ["type": "tenants", "config_version": 2]]], expectedVersion: 0) == 1)
        #expect(throws: SecurityConfigStoreError.versionConflict(expected: 0, actual: 1)) {
            try store.replace([.roles: ["_meta": ["type": "roles", "config_version": 2]]], expectedVersion: 0)
        }
        #expect(try store.replace([.roles: ["_meta": ["type": "roles", "config_version": 2]]], expectedVersion: 1) == 2)
        let history = try store.history(limit: 5)
        #expect(history.map(\.version) == [2, 1])
        #expect(history.first?.changedTypes == [.roles] && history.first?.documents.keys.sorted() == [.roles, .tenants])
    }

    @Test func restartLoadsWhatTheAPIWrote() throws {
        let store = InMemorySecurityConfigStore()
        let first = SecurityRestAPI(service: SecurityService(settings: try TestSupport.settings()), store: store)
        try first.start(bootstrap: try SecurityConfiguration(directory: TestSupport.labSecurityConfig, flavor: .openDistro))
        let admin = User(name: "CN=admin,OU=lab,O=certlab", isSuperAdmin: true)
        let put = first.handle(SecurityAPIRequest(method: "PUT", path: "/_opendistro/_security/api/rolesmapping/readall",
                                                  body: Array(#"{"users":["CLIENT1"]}"#.utf8), principal: admin.name), user: admin)
        #expect(put.bodyText == #"{"status":"OK","message":"'readall' updated."}"#)
        // A new node on the same store comes up with the change and ignores the bootstrap files.
        let secondService = SecurityService(settings: try TestSupport.settings())
        try SecurityRestAPI(service: secondService, store: store).start(bootstrap: nil)
        #expect(secondService.configuration?.roleMappings["readall"]?.users == ["CLIENT1"])
        #expect(secondService.authorize(User(name: "CLIENT1"), action: "indices:data/read/search", indices: ["logs-1"]).isAllowed)
    }

    @Test func jsonDocumentsLoadLikeYAML() throws {
        let json = #"{"_meta":{"type":"rolesmapping","config_version":2},"readall":{"users":["CLIENT1"],"reserved":false}}"#
        let document = try SourceDocument(json: json, file: "rolesmapping")
        let entries = try SecurityConfiguration.checkMeta(document, type: .rolesmapping)
        #expect(entries.keys == ["readall"])
        #expect(throws: ConfigError(file: "roles", line: 1, key: "", message: "invalid JSON: Unexpected end-of-input: was expecting double-quote to start field name")) {
            try SourceDocument(json: "{", file: "roles")
        }
    }
}

extension SecurityConfigStoreTests {
    @Test func uploadReplacesTypesAtomicallyOrNotAtAll() throws {
        let store = InMemorySecurityConfigStore()
        let api = SecurityRestAPI(service: SecurityService(settings: try TestSupport.settings()), store: store)
        try api.start(bootstrap: try SecurityConfiguration(directory: TestSupport.labSecurityConfig, flavor: .openDistro))
        let admin = User(name: "CN=admin,OU=lab,O=certlab", isSuperAdmin: true)
        let mapping = try SourceDocument(yaml: "_meta: {type: rolesmapping, config_version: 2}\nreadall:\n  users: [CLIENT1]\n", file: "roles_mapping.yml")
        let brokenRoles = try SourceDocument(yaml: "_meta: {type: roles, config_version: 2}\nr:\n  cluster: []\n", file: "roles.yml")
        #expect(api.upload([.rolesmapping: mapping], caller: User(name: "alice")) == .failure(.notAdmin("alice")))
        let failed = api.upload([.rolesmapping: mapping, .roles: brokenRoles], caller: admin)
        #expect(failed == .failure(.invalid(ConfigError(file: "roles.yml", line: 3, key: "/r/cluster",
            message: "unknown key (expected one of: reserved, hidden, static, description, cluster_permissions, index_permissions, tenant_permissions)"))))
        #expect(try store.load()?.version == 1)
        #expect(api.service.configuration?.roleMappings["readall"]?.users == [])
        #expect(api.upload([.rolesmapping: mapping], caller: admin) == .success(2))
        #expect(api.service.configuration?.roleMappings.names == ["readall"])
        #expect(api.service.configuration?.roles["logs_writer"] != nil)
    }
}
