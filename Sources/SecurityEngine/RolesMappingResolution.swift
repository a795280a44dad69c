/// `roles_mapping_resolution` node setting (reference §1.12, §2.7).
public enum RolesMappingResolution: String, Sendable {
    case mappingOnly = "MAPPING_ONLY"
    case backendRolesOnly = "BACKENDROLES_ONLY"
    case both = "BOTH"
}

/// Role-mapping resolution after authentication (reference §2.7, `RoleMappingHolder.map`).
struct RoleMappingResolver: Sendable {
    private struct CompiledMapping: Sendable {
        var role: String
        var users: [WildcardMatcher]
        var backendRoles: [WildcardMatcher]
        var andBackendRoles: [WildcardMatcher]
        var hosts: [WildcardMatcher]
    }

    private let mappings: [CompiledMapping]
    private let mode: RolesMappingResolution

    init(_ mappings: NamedEntries<RoleMapping>, mode: RolesMappingResolution) {
        self.mode = mode
        self.mappings = mappings.map { entry in
            CompiledMapping(role: entry.name,
                            users: entry.value.users.map { WildcardMatcher($0) },
                            backendRoles: entry.value.backendRoles.map { WildcardMatcher($0) },
                            andBackendRoles: entry.value.andBackendRoles.map { WildcardMatcher($0) },
                            hosts: entry.value.hosts.map { WildcardMatcher($0) })
        }
    }

    /// The user's security roles, sorted (the plugin keeps them in a sorted set).
    func securityRoles(for user: User) -> [String] {
        var roles = Set(user.directSecurityRoles)
        if mode != .mappingOnly { roles.formUnion(user.backendRoles) }
        if mode != .backendRolesOnly {
            for mapping in mappings where applies(mapping, to: user) { roles.insert(mapping.role) }
        }
        return roles.sorted()
    }

    private func applies(_ mapping: CompiledMapping, to user: User) -> Bool {
        if mapping.users.anyMatches(user.name) { return true }
        if user.backendRoles.contains(where: { mapping.backendRoles.anyMatches($0) }) { return true }
        if !mapping.andBackendRoles.isEmpty,
           mapping.andBackendRoles.allSatisfy({ matcher in user.backendRoles.contains { matcher.matches($0) } }) {
            return true
        }
        if let address = user.remoteAddress, mapping.hosts.anyMatches(address) { return true }
        return false
    }
}
