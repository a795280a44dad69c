/// The plugin's guard against destructive requests on every index at once (ODFE 1.13's
/// `SecurityIndexAccessEvaluator`, which runs before any role is consulted).
///
/// A request whose indices are all local indices (`_all`, or `*` alone) and whose action
/// writes, deletes, changes mappings or settings, freezes, closes, changes aliases or restores
/// a snapshot is refused to every user but the super-admin (the admin certificate), whatever
/// their roles: `DELETE /_all` or `PUT /_settings` by an `all_access` user answers 403 with
/// no missing privilege named (`no permissions for [] and User [...]`), and the attempt is
/// audited as `OPENDISTRO_SECURITY_INDEX_ATTEMPT`. The action list is the plugin's default
/// (`opendistro_security.unsupported.restore.securityindex.enabled` false, so close and
/// restore are in it); `filter_securityindex_from_all_requests` is not offered, so the
/// request is refused rather than narrowed.
enum AllIndicesGuard {
    static let deniedActions = ["indices:data/write*", "indices:admin/delete*", "indices:admin/mapping/delete*",
                                "indices:admin/mapping/put*", "indices:admin/freeze*", "indices:admin/settings/update*",
                                "indices:admin/aliases", "indices:admin/close*", "cluster:admin/snapshot/restore*"].map { WildcardMatcher($0) }

    /// The refusal for `route`, or nil when the guard lets it through.
    static func refusal(_ user: User, _ route: RestAction) -> AuthorizationDecision? {
        guard !user.isSuperAdmin, route.indices.contains("_all") || route.indices == ["*"] else { return nil }
        guard route.actions.contains(where: { action in deniedActions.contains { $0.matches(action) } }) else { return nil }
        return .deny([], user)
    }
}

extension AuthorizationDecision {
    /// Whether this is the all-indices guard's refusal (the only denial that names no missing
    /// privilege), which is audited as `OPENDISTRO_SECURITY_INDEX_ATTEMPT`.
    public var isAllIndicesAttempt: Bool {
        if case .denied(let missing, _) = self { return missing.isEmpty }
        return false
    }
}
