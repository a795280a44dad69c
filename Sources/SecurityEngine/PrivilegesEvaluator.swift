/// Privilege evaluation (reference §4.2, §5, `PrivilegesEvaluator`): cluster actions against
/// `cluster_permissions`, index actions against `index_permissions` for every requested index.
///
/// Built once per configuration: action groups are expanded and every pattern compiled here, so
/// a decision is only pattern comparisons. The per-user part (roles after mapping, placeholders
/// substituted) is ``UserPermissions``, which the engine caches per user.
public struct PrivilegesEvaluator: Sendable {
    struct CompiledIndexPermission: Sendable {
        /// Raw patterns; those with `${...}` are substituted per user.
        var patterns: [String]
        var actions: [WildcardMatcher]
    }

    struct CompiledRole: Sendable {
        var cluster: [WildcardMatcher]
        var index: [CompiledIndexPermission]
    }

    private let roles: [String: CompiledRole]
    let mapping: RoleMappingResolver

    public init(configuration: SecurityConfiguration, resolution: RolesMappingResolution) {
        let groups = ActionGroupResolver(configuration.actionGroups)
        var compiled: [String: CompiledRole] = [:]
        for (name, role) in configuration.roles {
            compiled[name] = CompiledRole(
                cluster: groups.resolve(role.clusterPermissions).map { WildcardMatcher($0) },
                index: role.indexPermissions.map { permission in
                    CompiledIndexPermission(patterns: permission.indexPatterns,
                                            actions: groups.resolve(permission.allowedActions).map { WildcardMatcher($0) })
                })
        }
        roles = compiled
        mapping = RoleMappingResolver(configuration.roleMappings, mode: resolution)
    }

    /// Resolves the user's security roles and their permissions (the expensive, cacheable part).
    public func permissions(for user: User) -> UserPermissions {
        let securityRoles = mapping.securityRoles(for: user)
        var cluster: [WildcardMatcher] = []
        var index: [UserPermissions.IndexGrant] = []
        for name in securityRoles {
            guard let role = roles[name] else { continue }
            cluster.append(contentsOf: role.cluster)
            for permission in role.index {
                let patterns = permission.patterns.map { WildcardMatcher(Placeholders.substitute($0, user: user)) }
                index.append(UserPermissions.IndexGrant(indices: patterns, actions: permission.actions))
            }
        }
        return UserPermissions(securityRoles: securityRoles, cluster: cluster, index: index)
    }

    /// `isClusterPerm` (reference §5): actions evaluated against `cluster_permissions`.
    public static func isClusterAction(_ action: String) -> Bool {
        action.hasPrefix("cluster:") || action.hasPrefix("indices:admin/template/") || action.hasPrefix("indices:data/read/scroll")
            || clusterLevelIndexActions.contains(action)
    }

    private static let clusterLevelIndexActions: Set<String> = [
        "indices:data/write/bulk", "indices:data/read/mget", "indices:data/read/msearch", "indices:data/read/mtv", "indices:data/write/reindex",
    ]
}

/// One user's effective permissions: roles after mapping, patterns after placeholder substitution.
public struct UserPermissions: Sendable {
    struct IndexGrant: Sendable {
        var indices: [WildcardMatcher]
        var actions: [WildcardMatcher]
    }

    public let securityRoles: [String]
    let cluster: [WildcardMatcher]
    let index: [IndexGrant]

    public func allowsCluster(_ action: String) -> Bool {
        cluster.anyMatches(action)
    }

    /// Whether some role grants `action` on the concrete index name `index`.
    public func allows(_ action: String, on index: String) -> Bool {
        for grant in self.index where grant.actions.anyMatches(action) && grant.indices.anyMatches(index) {
            return true
        }
        return false
    }
}
