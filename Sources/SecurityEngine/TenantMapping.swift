import JSONValue

extension SecurityService {
    /// Tenants visible to a user (reference §4.3 `mapTenants`): the private tenant (own name,
    /// rw), tenants from `tenant_permissions` (rw with `kibana_all_write`, RW wins), and
    /// `global_tenant` rw for roles `kibana_user` / `all_access`.
    public func tenants(for user: User) -> JSONObject {
        var result = JSONObject()
        result[user.name] = true
        guard let configuration else { return result }
        let groups = ActionGroupResolver(configuration.actionGroups)
        var access: [String: Bool] = [:]
        for roleName in user.securityRoles {
            guard let role = configuration.roles[roleName] else { continue }
            if roleName == "kibana_user" || roleName == "all_access" { access["global_tenant"] = true }
            for permission in role.tenantPermissions {
                let actions = groups.resolve(permission.allowedActions)
                let writable = actions.contains("kibana:saved_objects/*/write")
                for pattern in permission.tenantPatterns.map({ WildcardMatcher(Placeholders.substitute($0, user: user)) }) {
                    for tenant in configuration.tenants.names where pattern.matches(tenant) {
                        access[tenant] = (access[tenant] ?? false) || writable
                    }
                }
            }
        }
        for tenant in access.keys.sorted() where tenant != user.name { result[tenant] = .bool(access[tenant]!) }
        return result
    }
}
