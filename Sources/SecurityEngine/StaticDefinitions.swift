/// The built-in ("static") action groups, roles and tenants of the plugin jar (reference §3.6,
/// §4.1, §4.3), written from the reference's tables. OpenSearch adds a few entries and members;
/// the flavor decides which set is merged into a loaded configuration.
public enum StaticDefinitions {
    private static let flags = EntryFlags(reserved: true, hidden: false, isStatic: true)

    private static func group(_ type: String, _ description: String, _ actions: [String]) -> ActionGroup {
        ActionGroup(flags: flags, allowedActions: actions, type: type, description: description)
    }

    /// Static action groups (reference §4.1).
    public static func actionGroups(_ flavor: Flavor) -> [(String, ActionGroup)] {
        let os = flavor == .openSearch
        var groups: [(String, ActionGroup)] = [
            ("unlimited", group("all", "Allow all", ["*"])),
            ("cluster_all", group("cluster", "Allow everything on cluster level", ["cluster:*"])),
            ("cluster_monitor", group("cluster", "Allow monitoring the cluster", ["cluster:monitor/*"])),
            ("cluster_composite_ops_ro", group("cluster", "Allow readonly bulk and m* operations",
                ["indices:data/read/mget", "indices:data/read/msearch", "indices:data/read/mtv", "indices:admin/aliases/exists*",
                 "indices:admin/aliases/get*", "indices:data/read/scroll"] + (os ? ["indices:admin/resolve/index"] : []))),
            ("cluster_composite_ops", group("cluster", "Allow read/write bulk and m* operations",
                ["indices:data/write/bulk", "indices:admin/aliases*", "indices:data/write/reindex", "cluster_composite_ops_ro"])),
            ("manage_snapshots", group("cluster", "Allow snapshots", ["cluster:admin/snapshot/*", "cluster:admin/repository/*"])),
            ("cluster_manage_index_templates", group("cluster", "Manage index templates",
                ["indices:admin/template/*"] + (os ? ["indices:admin/index_template/*", "cluster:admin/component_template/*"] : []))),
            ("cluster_manage_pipelines", group("cluster", "Manage pipelines", ["cluster:admin/ingest/pipeline/*"])),
            ("indices_all", group("index", "Allow readonly everything with indices and data", ["indices:*"])),
            ("read", group("index", "Allow all read operations",
                ["indices:data/read*", "indices:admin/mappings/fields/get*"] + (os ? ["indices:admin/resolve/index"] : []))),
            ("write", group("index", "Allow writing data", ["indices:data/write*", "indices:admin/mapping/put"])),
            ("crud", group("index", "Allow all read/write operations on data", ["read", "write"])),
            ("data_access", group("index", "Allow all read/write operations on data", ["indices:data/*", "crud"])),
            ("search", group("index", "Allow searching",
                ["indices:data/read/search*", "indices:data/read/msearch*", "suggest"] + (os ? ["indices:admin/resolve/index"] : []))),
            ("suggest", group("index", "Allow suggestions", ["indices:data/read/suggest*"])),
            ("get", group("index", "Allow get", ["indices:data/read/get*", "indices:data/read/mget*"])),
            ("index", group("index", "Allow indexing",
                ["indices:data/write/index*", "indices:data/write/update*", "indices:admin/mapping/put", "indices:data/write/bulk*"])),
            ("delete", group("index", "Allow deleting documents", ["indices:data/write/delete*"])),
            ("create_index", group("index", "Allow creating new indices", ["indices:admin/create", "indices:admin/mapping/put"])),
            ("manage", group("index", "Allow indices management", ["indices:monitor/*", "indices:admin/*"])),
            ("manage_aliases", group("index", "Allow managing index aliases", ["indices:admin/aliases*"])),
            ("indices_monitor", group("index", "Allow monitoring indices", ["indices:monitor/*"])),
            ("kibana_all_write", group("kibana", "Allow writing in all kibana apps", ["kibana:saved_objects/*/write"])),
            ("kibana_all_read", group("kibana", "Allow reading in all kibana apps", ["kibana:saved_objects/*/read"])),
        ]
        if os {
            groups.append(("manage_data_streams", group("index", "Allow managing data streams",
                ["indices:admin/data_stream/*", "indices:monitor/data_stream/stats"])))
            groups.append(("manage_point_in_time", group("index", "Allow managing point in time",
                ["indices:data/read/point_in_time/create", "indices:data/read/point_in_time/delete",
                 "indices:data/read/point_in_time/readall", "indices:data/read/search", "indices:monitor/point_in_time/segments"])))
        }
        return groups
    }

    private static func role(_ description: String, cluster: [String], index: [([String], [String])], tenant: [([String], [String])] = []) -> Role {
        Role(flags: flags, description: description, clusterPermissions: cluster,
             indexPermissions: index.map { Role.IndexPermission(indexPatterns: $0.0, allowedActions: $0.1) },
             tenantPermissions: tenant.map { Role.TenantPermission(tenantPatterns: $0.0, allowedActions: $0.1) })
    }

    /// Static roles (reference §4.3).
    public static func roles(_ flavor: Flavor) -> [(String, Role)] {
        let os = flavor == .openSearch
        let dashboards = os ? [".opensearch_dashboards", ".opensearch_dashboards-6", ".opensearch_dashboards_*"] : []
        return [
            ("all_access", role("Allow full access to all indices and all cluster APIs", cluster: ["*"], index: [(["*"], ["*"])],
                                tenant: [(["*"], ["kibana_all_write"])])),
            ("kibana_user", role("Provide the minimum permissions for a kibana user", cluster: ["cluster_composite_ops"], index: [
                ([".kibana", ".kibana-6", ".kibana_*"] + dashboards, ["read", "delete", "manage", "index"]),
                ([".tasks", ".management-beats", "*:.tasks", "*:.management-beats"], ["indices_all"]),
            ])),
            ("own_index", role("Allow all for indices named like the current user", cluster: ["cluster_composite_ops"],
                               index: [(["${user_name}"], ["indices_all"])])),
            ("manage_snapshots", role("Provide the minimum permissions for managing snapshots", cluster: ["manage_snapshots"],
                                      index: [(["*"], ["indices:data/write/index", "indices:admin/create"])])),
            ("kibana_server", role("Provide the minimum permissions for the Kibana server",
                cluster: ["cluster_monitor", "cluster_composite_ops", "indices:admin/template*", "indices:data/read/scroll*"]
                    + (os ? ["manage_point_in_time", "indices:admin/index_template*"] : []),
                index: ([".kibana", ".kibana-6", ".kibana_*", ".tasks", ".management-beats*"] + (os ? [".opensearch_dashboards", ".opensearch_dashboards-6", ".opensearch_dashboards_*"] : []))
                    .map { ([$0], ["indices_all"]) } + [(["*"], ["indices:admin/aliases*"])])),
            ("logstash", role("Provide the minimum permissions for logstash and beats",
                cluster: ["cluster_monitor", "cluster_composite_ops", "indices:admin/template/get", "indices:admin/template/put",
                          "cluster:admin/ingest/pipeline/put", "cluster:admin/ingest/pipeline/get"],
                index: [(["logstash-*"] + (os ? ["ecs-logstash-*"] : []), ["crud", "create_index"]), (["*beat*"], ["crud", "create_index"])])),
            ("readall_and_monitor", role("Provide the minimum permissions for to readall indices and monitor the cluster",
                                         cluster: ["cluster_monitor", "cluster_composite_ops_ro"], index: [(["*"], ["read"])])),
            ("readall", role("Provide the minimum permissions for to readall indices", cluster: ["cluster_composite_ops_ro"],
                             index: [(["*"], ["read"])])),
        ]
    }

    /// Static tenants (reference §3.5).
    public static func tenants(_ flavor: Flavor) -> [(String, Tenant)] {
        [("global_tenant", Tenant(flags: flags, description: "Global tenant"))]
    }
}
