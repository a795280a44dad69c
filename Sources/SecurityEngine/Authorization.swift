/// Privilege checks of the security filter (reference §4.2, §5).
extension SecurityService {
    /// Decides whether `user` may run `action` on `indices` (index expressions as requested:
    /// names, wildcards, `_all`, date math kept literally). Wildcards and `_all` are resolved
    /// against `existingIndices`; a wildcard that matches nothing is checked as written.
    /// Super-admins bypass all checks.
    public func authorize(_ user: User, action: String, indices: [String] = [], existingIndices: [String] = []) -> AuthorizationDecision {
        if user.isSuperAdmin { return .allowed }
        guard let cached = cachedPermissions(for: user) else { return .deny([action], user) }
        if PrivilegesEvaluator.isClusterAction(action) {
            return cached.allowsCluster(action) ? .allowed : .deny([action], user)
        }
        let names = SecurityService.resolve(indices, existing: existingIndices)
        for name in names where !cached.allows(action, on: name) {
            return .deny([action], user)
        }
        return .allowed
    }

    /// `_bulk` and single-document writes (reference §5): the cluster-level
    /// `indices:data/write/bulk` first, then per item `indices:data/write/bulk[s]` plus the
    /// item's action on its index. Missing privileges are listed item action first, as in
    /// `no permissions for [indices:data/write/index, indices:data/write/bulk[s]]`.
    public func authorizeBulk(_ user: User, items: [BulkItem]) -> BulkAuthorization {
        // A bulk that writes into the security index is refused whole (SecurityIndexGuard).
        if !user.isSuperAdmin, case let name = securityIndexName, items.contains(where: { $0.index == name }) {
            let refusal = AuthorizationDecision.deny([], user)
            return BulkAuthorization(request: refusal, items: items.map { _ in refusal })
        }
        let request = authorize(user, action: "indices:data/write/bulk")
        guard request.isAllowed else { return BulkAuthorization(request: request, items: items.map { _ in request }) }
        if user.isSuperAdmin { return BulkAuthorization(request: .allowed, items: items.map { _ in .allowed }) }
        let cached = cachedPermissions(for: user)
        let decisions = items.map { item -> AuthorizationDecision in
            var missing: [String] = []
            if cached?.allows(item.action, on: item.index) != true { missing.append(item.action) }
            if cached?.allows("indices:data/write/bulk[s]", on: item.index) != true { missing.append("indices:data/write/bulk[s]") }
            return missing.isEmpty ? .allowed : .deny(missing, user)
        }
        return BulkAuthorization(request: .allowed, items: decisions)
    }

    /// Index-expression resolution: `_all`, `*` and empty → every existing index; other
    /// wildcards → matching existing names (or the expression itself when nothing matches);
    /// plain names (including date math `<logs-{now/d}>`) as written.
    static func resolve(_ expressions: [String], existing: [String]) -> [String] {
        if expressions.isEmpty || expressions == ["_all"] || expressions == ["*"] {
            return existing.isEmpty ? ["*"] : existing
        }
        var result: [String] = []
        for expression in expressions {
            if expression.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }) {
                let matcher = WildcardMatcher(expression)
                let matched = existing.filter { matcher.matches($0) }
                result.append(contentsOf: matched.isEmpty ? [expression] : matched)
            } else {
                result.append(expression)
            }
        }
        return result
    }
}

extension SecurityService {
    /// All checks for one REST route of ``RestActionTable`` (reference §5), first denial wins:
    /// `.actions` checks each action in order; `.singleDocumentWrite` checks the index-level
    /// action, then the one-item bulk path (`_update` writes its result as an index operation);
    /// `.bulk` checks only the request level (items come from the body: use
    /// ``authorizeBulk(_:items:)``), and so does `.multiSearch` (each search of the body is an
    /// `indices:data/read/search` route of its own). Security-plugin routes are not decided here.
    /// `config_index_name`: the plugin's own index, which `SecurityIndexGuard` protects.
    var securityIndexName: String {
        settings.all[settings.flavor.settingsPrefix + "config_index_name"]?.stringValue ?? SecurityIndexGuard.defaultIndexName
    }

    public func authorize(_ user: User, route: RestAction, existingIndices: [String] = []) -> AuthorizationDecision {
        if let refusal = SecurityIndexGuard.refusal(user, route, securityIndex: securityIndexName) { return refusal }
        switch route.check {
        case .actions:
            for action in route.actions {
                let decision = authorize(user, action: action, indices: route.indices, existingIndices: existingIndices)
                if !decision.isAllowed { return decision }
            }
            return .allowed
        case .singleDocumentWrite(let operation):
            let first = authorize(user, action: route.actions[0], indices: route.indices, existingIndices: existingIndices)
            guard first.isAllowed else { return first }
            let item = BulkItem(operation == .update ? .index : operation, index: route.indices.first ?? "")
            let bulk = authorizeBulk(user, items: [item])
            return bulk.request.isAllowed ? bulk.items[0] : bulk.request
        case .bulk:
            return authorize(user, action: "indices:data/write/bulk")
        case .multiSearch:
            return authorize(user, action: "indices:data/read/msearch")
        case .reindex:
            return authorize(user, action: "indices:data/write/reindex")
        case .securityPlugin:
            return .allowed
        }
    }
}
