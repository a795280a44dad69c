import Testing
@testable import SecurityEngine

/// Static action groups expand to the flattened lists of reference §4.1 / §4.2 (OS-docs
/// default-action-groups), and expansion follows the plugin's rules.
@Suite struct ActionGroupTests {
    static let expectedODFE: [(String, [String])] = [
        ("unlimited", ["*"]),
        ("cluster_all", ["cluster:*"]),
        ("cluster_monitor", ["cluster:monitor/*"]),
        ("cluster_composite_ops_ro", ["indices:data/read/mget", "indices:data/read/msearch", "indices:data/read/mtv",
                                      "indices:admin/aliases/exists*", "indices:admin/aliases/get*", "indices:data/read/scroll"]),
        ("cluster_composite_ops", ["indices:data/write/bulk", "indices:admin/aliases*", "indices:data/write/reindex", "indices:data/read/mget",
                                   "indices:data/read/msearch", "indices:data/read/mtv", "indices:admin/aliases/exists*",
                                   "indices:admin/aliases/get*", "indices:data/read/scroll"]),
        ("manage_snapshots", ["cluster:admin/snapshot/*", "cluster:admin/repository/*"]),
        ("cluster_manage_index_templates", ["indices:admin/template/*"]),
        ("cluster_manage_pipelines", ["cluster:admin/ingest/pipeline/*"]),
        ("indices_all", ["indices:*"]),
        ("read", ["indices:data/read*", "indices:admin/mappings/fields/get*"]),
        ("write", ["indices:data/write*", "indices:admin/mapping/put"]),
        ("crud", ["indices:data/read*", "indices:admin/mappings/fields/get*", "indices:data/write*", "indices:admin/mapping/put"]),
        ("data_access", ["indices:data/*", "indices:data/read*", "indices:admin/mappings/fields/get*", "indices:data/write*", "indices:admin/mapping/put"]),
        ("search", ["indices:data/read/search*", "indices:data/read/msearch*", "indices:data/read/suggest*"]),
        ("suggest", ["indices:data/read/suggest*"]),
        ("get", ["indices:data/read/get*", "indices:data/read/mget*"]),
        ("index", ["indices:data/write/index*", "indices:data/write/update*", "indices:admin/mapping/put", "indices:data/write/bulk*"]),
        ("delete", ["indices:data/write/delete*"]),
        ("create_index", ["indices:admin/create", "indices:admin/mapping/put"]),
        ("manage", ["indices:monitor/*", "indices:admin/*"]),
        ("manage_aliases", ["indices:admin/aliases*"]),
        ("indices_monitor", ["indices:monitor/*"]),
        ("kibana_all_write", ["kibana:saved_objects/*/write"]),
        ("kibana_all_read", ["kibana:saved_objects/*/read"]),
    ]

    @Test func everyStaticGroupExpandsToTheReferenceList() throws {
        let configuration = try TestSupport.configuration([:], flavor: .openDistro)
        let resolver = ActionGroupResolver(configuration.actionGroups)
        #expect(configuration.actionGroups.names == Self.expectedODFE.map(\.0))
        for (name, expected) in Self.expectedODFE {
            #expect(resolver.resolve([name]) == expected, "\(name)")
            #expect(configuration.actionGroups[name]?.flags == EntryFlags(reserved: true, hidden: false, isStatic: true))
        }
    }

    @Test func openSearchAdditions() throws {
        let resolver = ActionGroupResolver(try TestSupport.configuration([:], flavor: .openSearch).actionGroups)
        #expect(Set(resolver.resolve(["search"])) == ["indices:data/read/search*", "indices:data/read/msearch*", "indices:admin/resolve/index", "indices:data/read/suggest*"])
        #expect(resolver.resolve(["manage_data_streams"]) == ["indices:admin/data_stream/*", "indices:monitor/data_stream/stats"])
        #expect(resolver.resolve(["cluster_manage_index_templates"]) == ["indices:admin/template/*", "indices:admin/index_template/*", "cluster:admin/component_template/*"])
        #expect(resolver.resolve(["manage_point_in_time"]).count == 5)
        let roles = try TestSupport.configuration([:], flavor: .openSearch).roles
        #expect(roles["logstash"]?.indexPermissions.first?.indexPatterns == ["logstash-*", "ecs-logstash-*"])
    }

    @Test func userGroupsNestCyclesAndUnknownNames() throws {
        let configuration = try TestSupport.configuration([.actiongroups: """
            a:
              allowed_actions: [b, "indices:x/a"]
            b:
              allowed_actions: [a, "indices:x/b", get, not_a_group]
            """])
        let resolver = ActionGroupResolver(configuration.actionGroups)
        #expect(resolver.resolve(["a"]) == ["indices:x/b", "indices:data/read/get*", "indices:data/read/mget*", "not_a_group", "indices:x/a"])
        #expect(resolver.resolve(["READ"]) == ["READ"])
    }

    @Test(arguments: [
        ("*", "anything/at:all", true), ("indices:data/read*", "indices:data/read/search", true),
        ("indices:data/read*", "indices:data/read/mget[shard]", true), ("indices:data/read*", "indices:data/write/index", false),
        ("cluster:monitor/*", "cluster:monitor/nodes/stats", true), ("log?-x", "logs-x", true), ("log?-x", "lo-x", false),
        ("/team-(dev|prod)-\\d+/", "team-dev-12", true), ("/team-(dev|prod)-\\d+/", "xteam-dev-12", false),
        ("/[/", "[/", false), ("Logs", "logs", false), ("logs", "logs", true), ("*beat*", "filebeat-7", true),
        ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false),
    ])
    func wildcardMatcher(pattern: String, candidate: String, matches: Bool) {
        #expect(WildcardMatcher(pattern).matches(candidate) == matches)
    }

    @Test func nodesDNMatchingIsCaseInsensitive() {
        #expect(WildcardMatcher("CN=*.example.com,OU=SSL", caseInsensitive: true).matches("cn=node1.EXAMPLE.com,ou=ssl"))
    }

    @Test(arguments: [
        ("cluster:monitor/health", true), ("indices:admin/template/put", true), ("indices:data/read/scroll/clear", true),
        ("indices:data/write/bulk", true), ("indices:data/read/mget", true), ("indices:data/read/msearch", true),
        ("indices:data/read/mtv", true), ("indices:data/write/reindex", true), ("indices:data/write/bulk[s]", false),
        ("indices:data/read/search", false), ("indices:admin/create", false), ("indices:data/read/mget[shard]", false),
    ])
    func clusterActionClassification(action: String, cluster: Bool) {
        #expect(PrivilegesEvaluator.isClusterAction(action) == cluster)
    }
}
