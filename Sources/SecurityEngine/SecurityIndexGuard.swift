/// The plugin's guard of its own configuration index and of all indices at once (ODFE 1.13's
/// `OpenDistroSecurityIndexAccessEvaluator`, which runs before any role is consulted).
///
/// A request that writes, deletes, changes mappings or settings, freezes, closes, changes
/// aliases or restores a snapshot is refused to every user but the super-admin (the admin
/// certificate), whatever their roles, when its indices
/// - are all local indices (`_all`, or `*` alone), or
/// - take in the security index (`config_index_name`, by default `.opendistro_security`): by
///   name or by a wildcard that matches it and is not taken back by a later `-` exclusion.
///
/// This node keeps its security configuration elsewhere, but the plugin's index exists on every
/// real cluster, so `DELETE /*,-logs` or `PUT /.opendistro_security/_doc/x` by an `all_access`
/// user is refused as it would be there: 403 with no missing privilege named (`no permissions
/// for [] and User [...]`), audited as `OPENDISTRO_SECURITY_INDEX_ATTEMPT`. The action list is
/// the plugin's default (`unsupported.restore.securityindex.enabled` false, so close and restore
/// are in it); `filter_securityindex_from_all_requests` is not offered, so a request is refused
/// rather than narrowed.
enum SecurityIndexGuard {
    static let deniedActions = ["indices:data/write*", "indices:admin/delete*", "indices:admin/mapping/delete*",
                                "indices:admin/mapping/put*", "indices:admin/freeze*", "indices:admin/settings/update*",
                                "indices:admin/aliases", "indices:admin/close*", "cluster:admin/snapshot/restore*"].map { WildcardMatcher($0) }

    static let defaultIndexName = ".opendistro_security"

    /// The refusal for `route`, or nil when the guard lets it through.
    /// `securityIndex` is read only for the actions the guard is about (never for a read).
    static func refusal(_ user: User, _ route: RestAction, securityIndex: @autoclosure () -> String) -> AuthorizationDecision? {
        guard !user.isSuperAdmin, !route.indices.isEmpty else { return nil }
        guard route.actions.contains(where: { action in deniedActions.contains { $0.matches(action) } }) else { return nil }
        let everything = route.indices.contains("_all") || route.indices == ["*"]
        return everything || takesIn(securityIndex(), route.indices) ? .deny([], user) : nil
    }

    /// Whether the index expressions, read in order as ES reads them (`-x` removes what the
    /// expressions before it added), include `name`.
    static func takesIn(_ name: String, _ expressions: [String]) -> Bool {
        var included = false
        for expression in expressions {
            if expression.hasPrefix("-"), included {
                if WildcardMatcher(String(expression.dropFirst())).matches(name) { included = false }
            } else if expression == "_all" || WildcardMatcher(expression).matches(name) {
                included = true
            }
        }
        return included
    }
}

extension AuthorizationDecision {
    /// Whether this is the security index guard's refusal (the only denial that names no
    /// missing privilege), which is audited as `OPENDISTRO_SECURITY_INDEX_ATTEMPT`.
    public var isSecurityIndexAttempt: Bool {
        if case .denied(let missing, _) = self { return missing.isEmpty }
        return false
    }
}
