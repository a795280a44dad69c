import Foundation
import JSONValue
import Testing
@testable import SecurityEngine

/// Every configuration error names file, line and key (issue 4 "Bad input").
@Suite struct ConfigErrorTests {
    private func loadError(_ type: ConfigType, _ yaml: String) -> ConfigError? {
        do {
            let document = try SourceDocument(yaml: yaml, file: type.fileName)
            var documents: [ConfigType: SourceDocument] = [:]
            for required in ConfigType.required where required != type {
                let body = required == .config ? "config:\n  dynamic: {}\n" : ""
                documents[required] = try SourceDocument(yaml: "_meta: {type: \(required.rawValue), config_version: 2}\n" + body, file: required.fileName)
            }
            documents[type] = document
            _ = try SecurityConfiguration(documents: documents, flavor: .openDistro)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        (ConfigType.roles, "_meta:\n  type: roles\n  config_version: 2\nmy_role:\n  cluster_permissions: [\"*\"]\n  clusterperms: []\n",
         "roles.yml:6: key 'my_role.clusterperms': unknown key (expected one of: reserved, hidden, static, description, cluster_permissions, index_permissions, tenant_permissions)"),
        (.roles, "_meta:\n  type: roles\n  config_version: 2\nr:\n  index_permissions:\n    - index_patterns: [\"a\"]\n      allowed_actions: [\"read\"]\n      dsl: \"{}\"\n",
         "roles.yml:8: key 'r.index_permissions.0.dsl': unknown key (expected one of: index_patterns, allowed_actions, dls, fls, masked_fields)"),
        (.roles, "_meta:\n  type: roles\n  config_version: 2\nr:\n  cluster_permissions:\n    a: b\n",
         "roles.yml:5: key 'r.cluster_permissions': expected a list of strings, found an object"),
        (.roles, "_meta:\n  type: roles\n  config_version: 2\nall_access:\n  cluster_permissions: [\"*\"]\n",
         "roles.yml:4: key 'all_access': Cannot override static roles"),
        (.actiongroups, "_meta:\n  type: actiongroups\n  config_version: 2\nread:\n  allowed_actions: [\"x\"]\n",
         "action_groups.yml:4: key 'read': Cannot override static action groups"),
        (.tenants, "_meta:\n  type: tenants\n  config_version: 2\nglobal_tenant:\n  description: x\n",
         "tenants.yml:4: key 'global_tenant': Cannot override static tenants"),
        (.internalusers, "admin:\n  hash: x\n",
         "internal_users.yml:1: missing _meta (expected _meta: {type: \"internalusers\", config_version: 2}); version 1 (ES6) files are not supported"),
        (.internalusers, "_meta:\n  type: internalusers\n  config_version: 1\n",
         "internal_users.yml:3: key '_meta.config_version': config_version 1 is not supported (expected 2)"),
        (.internalusers, "_meta:\n  type: roles\n  config_version: 2\n",
         "internal_users.yml:2: key '_meta.type': expected 'internalusers', found 'roles'"),
        (.internalusers, "_meta:\n  type: internalusers\n  config_version: 2\nbob:\n  hash: x\n  backend_roles: [a]\n  reserved: maybe\n",
         "internal_users.yml:7: key 'bob.reserved': expected a boolean, found the string 'maybe'"),
        (.internalusers, "_meta:\n  type: internalusers\n  config_version: 2\nbob:\n  hash: x\n  hash: y\n",
         "internal_users.yml:5: duplicate key 'hash'"),
        (.rolesmapping, "_meta:\n  type: rolesmapping\n  config_version: 2\nreadall:\n  user: [\"a\"]\n",
         "roles_mapping.yml:5: key 'readall.user': unknown key (expected one of: reserved, hidden, backend_roles, and_backend_roles, hosts, users, description)"),
        (.config, "_meta:\n  type: config\n  config_version: 2\nconfig:\n  dynamic:\n    authc:\n      d:\n        order: 1\n        http_authenticator:\n          type: basic\n          challange: true\n",
         "config.yml:11: key 'config.dynamic.authc.d.http_authenticator.challange': unknown key (expected one of: type, challenge, config)"),
        (.config, "_meta:\n  type: config\n  config_version: 2\ndynamic: {}\n",
         "config.yml:1: A version of 2 must have a single toplevel key named 'config' for CONFIG"),
        (.config, "_meta:\n  type: config\n  config_version: 2\nconfig:\n  dynamic:\n    auth_failure_listeners:\n      l:\n        type: host\n",
         "config.yml:8: key 'config.dynamic.auth_failure_listeners.l.type': expected 'ip' or 'username', found 'host'"),
        (.roles, "_meta:\n  type: roles\n  config_version: 2\nr:\n  cluster_permissions: [\"a\"\n",
         "roles.yml:6: invalid YAML: did not find expected ',' or ']'"),
    ] as [(ConfigType, String, String)])
    func errorNamesFileLineAndKey(type: ConfigType, yaml: String, expected: String) {
        #expect(loadError(type, yaml)?.description == expected)
    }

    @Test func auditCategoryTypoIsLocated() {
        let error = loadError(.config, "_meta:\n  type: config\n  config_version: 2\nconfig:\n  dynamic: {}\n")
        #expect(error == nil)
        do {
            _ = try TestSupport.configuration([.audit: "config:\n  audit:\n    disabled_rest_categories: [AUTHENTICATED, LOGIN]\n"])
            Issue.record("expected an error")
        } catch let error as ConfigError {
            #expect(error.description == "audit.yml:6: key 'config.audit.disabled_rest_categories.1': unknown audit category 'LOGIN'")
        } catch { Issue.record("\(error)") }
    }

    @Test func missingRequiredFileIsNamed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certlab-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: ConfigError(file: "config.yml", line: nil, key: "", message: "file not found in \(directory.path)")) {
            try SecurityConfiguration(directory: directory, flavor: .openDistro)
        }
    }

    @Test func nodeSettingsErrors() {
        #expect(throws: ConfigError(file: "node.yml", line: 2, key: "/opendistro_security.ssl.http.clientauth_mode",
                                    message: "expected NONE, OPTIONAL or REQUIRE, found 'optional'")) {
            try NodeSettings(yaml: "cluster.name: x\nopendistro_security.ssl.http.clientauth_mode: optional\n", file: "node.yml")
        }
        // OpenSearch upper-cases the mode first (reference §1.3).
        #expect((try? NodeSettings(yaml: "plugins.security.ssl.http.clientauth_mode: optional\n", file: "node.yml"))?.clientAuthMode == .optional)
        #expect(throws: ConfigError(file: "opensearch.yml", line: 3, key: "/plugins/security/ssl_cert_reload",
                                    message: "unknown setting [plugins.security.ssl_cert_reload]")) {
            try NodeSettings(yaml: "plugins:\n  security:\n    ssl_cert_reload: true\n", file: "opensearch.yml")
        }
        #expect(throws: ConfigError(file: "node.yml", line: 1, key: "/opendistro_security.ssl.http.enabled",
                                    message: "expected true or false, found the string 'yes please'")) {
            try NodeSettings(yaml: "opendistro_security.ssl.http.enabled: yes please\n", file: "node.yml")
        }
    }

    @Test func nestedAndFlatSettingsAreEquivalent() throws {
        let nested = try NodeSettings(yaml: "plugins:\n  security:\n    authcz:\n      admin_dn:\n        - \"CN=a,O=b\"\n    roles_mapping_resolution: BOTH\n", file: "opensearch.yml")
        let flat = try NodeSettings(yaml: "plugins.security.authcz.admin_dn: [\"cn=A, o=B\"]\nplugins.security.roles_mapping_resolution: BOTH\n", file: "opensearch.yml")
        #expect(nested.flavor == .openSearch && flat.flavor == .openSearch)
        #expect(nested.adminDNs == flat.adminDNs)
        #expect(nested.rolesMappingResolution == .both)
    }

    /// `authcz.rest_impersonation_user.<user>`: nested or flat. The plugin reads one settings
    /// group per first key segment, so a dotted user name or a map under a user would silently
    /// never apply there; here they are refused, naming the key.
    @Test func restImpersonationUsersAreReadPerUser() throws {
        let nested = try NodeSettings(yaml: "opendistro_security:\n  authcz:\n    rest_impersonation_user:\n      CLIENT1: [\"reader*\", \"svc\"]\n", file: "node.yml")
        #expect(nested.restImpersonationUsers == ["CLIENT1": ["reader*", "svc"]])
        let flat = try NodeSettings(yaml: "plugins.security.authcz.rest_impersonation_user.alice: [\"/jane.*/\"]\n", file: "opensearch.yml")
        #expect(flat.restImpersonationUsers == ["alice": ["/jane.*/"]])
        for yaml in ["opendistro_security.authcz.rest_impersonation_user.john.doe: [x]\n",
                     "opendistro_security.authcz.rest_impersonation_user.CLIENT1:\n  nested: [x]\n"] {
            let error = #expect(throws: ConfigError.self) { try NodeSettings(yaml: yaml, file: "node.yml") }
            #expect(error?.description.contains("with no '.' in <user>") == true, "\(String(describing: error))")
        }
    }

    /// A broken file never replaces the loaded configuration.
    @Test func brokenDirectoryKeepsTheGoodConfiguration() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certlab-broken-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestSupport.labSecurityConfig, to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let service = SecurityService(settings: try TestSupport.settings())
        try service.load(directory: directory)
        let version = service.configurationVersion
        try "_meta:\n  type: roles\n  config_version: 2\nbad_role:\n  cluster_permission: []\n"
            .write(to: directory.appendingPathComponent("roles.yml"), atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try service.load(directory: directory) }
        #expect(service.configurationVersion == version)
        #expect(service.configuration?.roles["logs_writer"] != nil)
        #expect(service.configuration?.roles["bad_role"] == nil)
    }
}
