import Foundation
import JSONValue
import Testing
@testable import SecurityEngine

/// The plugin's shipped files must load unchanged (issue 4), and our built-in statics must be
/// exactly the plugin's static_config files (reference §4.1, §4.3).
@Suite struct FixtureLoadingTests {
    @Test func shippedSecurityConfigLoadsUnchanged() throws {
        guard let fixtures = TestSupport.fixtures else { return }
        let configuration = try SecurityConfiguration(directory: fixtures.appendingPathComponent("securityconfig"), flavor: .openDistro)
        #expect(configuration.internalUsers.names == ["admin", "kibanaserver", "kibanaro", "logstash", "readall", "snapshotrestore"])
        #expect(configuration.internalUsers["kibanaro"]?.attributes == ["attribute1": "value1", "attribute2": "value2", "attribute3": "value3"])
        #expect(configuration.roleMappings.names == ["all_access", "own_index", "logstash", "kibana_user", "readall", "manage_snapshots", "kibana_server"])
        #expect(configuration.roleMappings["kibana_server"]?.flags.reserved == true)
        #expect(configuration.roles["alerting_full_access"]?.clusterPermissions == ["cluster_monitor", "cluster:admin/opendistro/alerting/*"])
        #expect(configuration.tenants.names == ["global_tenant", "admin_tenant"])
        #expect(configuration.audit.disabledRestCategories == [.authenticated, .grantedPrivileges])
        #expect(configuration.audit.ignoreUsers == ["kibanaserver"])
        #expect(configuration.entries[.whitelist] != nil)
        let chain = configuration.dynamic.httpDomainChain.map(\.name)
        #expect(chain == ["basic_internal_auth_domain"])
        let clientcert = try #require(configuration.dynamic.authenticationDomains.first { $0.name == "clientcert_auth_domain" })
        #expect(clientcert.order == 2 && !clientcert.httpEnabled && !clientcert.challenge && clientcert.backendType == "noop")
        #expect(clientcert.authenticatorConfig["username_attribute"] == "cn")
        #expect(configuration.dynamic.xffEnabled == false)
        #expect(configuration.dynamic.internalProxies == "192\\.168\\.0\\.10|192\\.168\\.0\\.11")
    }

    @Test func shippedDemoPasswordsVerifyIncludingDollar2y() throws {
        guard let fixtures = TestSupport.fixtures else { return }
        let configuration = try SecurityConfiguration(directory: fixtures.appendingPathComponent("securityconfig"), flavor: .openDistro)
        // The demo passwords equal the user names; snapshotrestore's hash uses the $2y$ prefix.
        #expect(SecurityEngineTools.bcryptVerify("snapshotrestore", hash: configuration.internalUsers["snapshotrestore"]!.hash))
        #expect(SecurityEngineTools.bcryptVerify("admin", hash: configuration.internalUsers["admin"]!.hash))
        #expect(!SecurityEngineTools.bcryptVerify("wrong", hash: configuration.internalUsers["admin"]!.hash))
    }

    /// Our static definitions (written from the reference) equal the plugin's static files.
    @Test func builtInStaticsEqualThePluginsStaticConfig() throws {
        guard let fixtures = TestSupport.fixtures else { return }
        let directory = fixtures.appendingPathComponent("static_config")
        func entries(_ file: String, _ type: ConfigType) throws -> JSONObject {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            return try SecurityConfiguration.checkMeta(try SourceDocument(yaml: text, file: file), type: type)
        }
        let empty = try TestSupport.configuration([:])
        let groups = try entries("static_action_groups.yml", .actiongroups)
        #expect(Set(groups.keys) == Set(StaticDefinitions.actionGroups(.openDistro).map(\.0)))
        for (name, value) in groups {
            var reader = try ConfigReader(SourceDocument(file: "static", root: value), path: "", value: value)
            let fromFile = try ActionGroup(reading: &reader)
            #expect(empty.actionGroups[name] == fromFile, "action group \(name)")
        }
        let roles = try entries("static_roles.yml", .roles)
        #expect(Set(roles.keys) == Set(StaticDefinitions.roles(.openDistro).map(\.0)))
        for (name, value) in roles {
            var reader = try ConfigReader(SourceDocument(file: "static", root: value), path: "", value: value)
            let fromFile = try Role(reading: &reader)
            // kibana_server lists one index permission per pattern in the file, as we do.
            #expect(empty.roles[name] == fromFile, "role \(name)")
        }
        let tenants = try entries("static_tenants.yml", .tenants)
        for (name, value) in tenants {
            var reader = try ConfigReader(SourceDocument(file: "static", root: value), path: "", value: value)
            #expect(empty.tenants[name] == (try Tenant(reading: &reader)))
        }
    }

    @Test func labConfigurationLoadsInBothFlavors() throws {
        for flavor in Flavor.allCases {
            let configuration = try SecurityConfiguration(directory: TestSupport.labSecurityConfig, flavor: flavor)
            #expect(configuration.dynamic.httpDomainChain.map(\.name) == ["clientcert_auth_domain", "basic_internal_auth_domain"])
            #expect(configuration.roleMappings["readall"]?.users == [])
            #expect(configuration.internalUsers["admin"]?.backendRoles == ["admin"])
        }
    }

    @Test func labNodeSettingsLoad() throws {
        let settings = try NodeSettings(contentsOf: TestSupport.repoRoot.appendingPathComponent("config/node.yml"))
        #expect(settings.flavor == .openDistro)
        #expect(settings.clusterName == "certlab" && settings.nodeName == "search-node" && settings.httpPort == 9200)
        #expect(settings.httpSSLEnabled && settings.clientAuthMode == .optional)
        #expect(settings.pemCertPath == "../certs/search-node.pem" && settings.pemKeyPath == "../certs/search-node-key.pem")
        #expect(settings.pemTrustedCAsPath == "../certs/root-ca.pem")
        #expect(settings.crlValidate && settings.crlFilePath == "../certs/crl.pem" && settings.sslCertReloadEnabled)
        #expect(settings.adminDNs == [try PKIName(parsing: "CN=admin,OU=lab,O=certlab")])
        #expect(settings.restAPIRolesEnabled == ["all_access", "security_rest_api_access"])
        #expect(settings.auditType == "internal_elasticsearch")
    }

    @Test func shippedElasticsearchExampleAdminDNMatchesKirk() throws {
        guard let fixtures = TestSupport.fixtures else { return }
        let url = fixtures.appendingPathComponent("securityconfig/elasticsearch.yml.example")
        let settings = try NodeSettings(contentsOf: url)
        let service = SecurityService(settings: settings)
        // "CN=kirk,OU=client,O=client,l=tEst, C=De" must equal the kirk principal (reference §1.7).
        #expect(service.isAdminPrincipal("CN=kirk,OU=client,O=client,L=test,C=de"))
        #expect(!service.isAdminPrincipal("C=de,L=test,O=client,OU=client,CN=kirk"))
        #expect(settings.nodesDN == ["CN=*.example.com, OU=SSL, O=Test, L=Test, C=DE", "CN=node.other.com, OU=SSL, O=Test, L=Test, C=DE"])
    }
}
