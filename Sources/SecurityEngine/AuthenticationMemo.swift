import Foundation
import PKI

/// One connection's last successful authentication without a password, reused for the
/// connection's next requests while nothing it depends on has changed.
///
/// Why: a keep-alive client sends the same certificate and, nearly always, the same headers on
/// every request, and walking the domain chain again (DN parsing for `username_attribute`, proxy
/// and XFF checks, role mapping) was the largest security cost of a point read. The plugin keeps
/// a user cache keyed by the extracted credentials for the same reason (`cache.ttl_minutes`);
/// this memo is narrower and so exact rather than time-bounded: the outcome of
/// ``SecurityService/authenticate(_:)`` is a function of the installed configuration, the TLS
/// principal, the TCP peer and the headers — the same values give the same user. What can change
/// with time alone is whether an `auth_failure_listeners` block now applies to the address or the
/// user name; a memo is not used while any listener blocks either.
///
/// Never memoised: requests with an `Authorization` header (a password's validity has its own
/// cache and lifetime), admin certificates (their own verdict memo), rejections.
///
/// A class: the memo is the connection's, handed by reference to each of its requests, where a
/// struct of seven fields was copied (and each field retained) at every check.
/// `@unchecked Sendable`: only `lastRoute` changes, and only from the connection's own request
/// handling, one request at a time (`InlineRequestHandler` on its event loop).
public final class AuthenticationMemo: @unchecked Sendable {
    fileprivate let state: SecurityService.State
    fileprivate let principal: String?
    fileprivate let remoteAddress: String
    fileprivate let headers: [(name: String, value: String)]
    fileprivate let user: User
    /// The connection's last route decision for `user` (``SecurityService/authorize(route:existingIndices:memo:)``).
    fileprivate(set) var lastRoute: RouteDecision?

    fileprivate init(state: SecurityService.State, principal: String?, remoteAddress: String,
                     headers: [(name: String, value: String)], user: User) {
        self.state = state
        self.principal = principal
        self.remoteAddress = remoteAddress
        self.headers = headers
        self.user = user
    }

    struct RouteDecision: Sendable {
        var route: RestAction
        var existingIndices: [String]
        var decision: AuthorizationDecision
    }

    fileprivate func matches(_ request: AuthenticationRequest, _ current: SecurityService.State) -> Bool {
        // Byte for byte (`hasSameBytes(as:)`): a proxy's user header, an impersonation target or
        // a tenant spelled another canonically equivalent way is another user or tenant.
        state === current && principal.hasSameBytes(as: request.principal) && remoteAddress.hasSameBytes(as: request.remoteAddress)
            && fieldsHaveSameBytes(headers, count: headers.count, request.headers, count: request.headers.count)
    }
}

extension SecurityService {
    /// ``authenticate(_:)`` for a connection that keeps `memo` between its requests: the memo's
    /// user when it still applies (see ``AuthenticationMemo``), otherwise a full authentication,
    /// whose success then becomes the memo.
    public func authenticate(_ request: AuthenticationRequest, memo: inout AuthenticationMemo?) -> AuthenticationOutcome {
        let state = currentState()
        if let state, let known = memo, known.matches(request, state), !isBlocked(known, request.remoteAddress, state) {
            return .authenticated(known.user)
        }
        memo = nil
        let outcome = authenticate(request)
        // Only under the configuration the outcome was worked out with.
        guard case .authenticated(let user) = outcome, !user.isSuperAdmin, let state, currentState() === state,
              !request.headers.contains(where: { HeaderName.equal($0.name, "authorization") }) else { return outcome }
        memo = AuthenticationMemo(state: state, principal: request.principal, remoteAddress: request.remoteAddress,
                                  headers: request.headers, user: user)
        return outcome
    }

    /// Whether an `auth_failure_listeners` block now applies to the memo's client — what a full
    /// authentication of its request would find first.
    public func isBlocked(_ memo: AuthenticationMemo) -> Bool {
        guard let state = currentState() else { return false }
        return isBlocked(memo, memo.remoteAddress, state)
    }

    /// The listener checks of a full authentication: the TCP peer, and the name whose
    /// credentials were presented (the caller's, when it impersonates another user).
    private func isBlocked(_ memo: AuthenticationMemo, _ remoteAddress: String, _ state: State) -> Bool {
        guard !state.listeners.isEmpty else { return false }
        let clock = now()
        return state.listeners.contains { listener in
            listener.isBlocked(listener.isByAddress ? remoteAddress : memo.user.initiatingUser ?? memo.user.name, now: clock)
        }
    }
}

extension SecurityService {
    /// ``authorize(_:route:existingIndices:)`` for the memo's user — the user the
    /// ``authenticate(_:memo:)`` call just before it returned, as a memo only ever holds that
    /// user — reusing the connection's last decision when it asked for the same route against the
    /// same index names under the configuration still installed.
    ///
    /// Why it is exact: a route decision reads nothing but the user, the route (actions, index
    /// expressions, kind of check), the existing index names its wildcards resolve against, and
    /// the installed configuration (roles, mappings, action groups; the security index's name is
    /// a node setting and never changes) — no clock, no counter. Names are compared byte for
    /// byte, as the index patterns match them (`hasSameBytes(as:)`). A keep-alive client reading
    /// documents of one index asks the same question on every request, and answering it again
    /// (the user-cache key hash, the guard's nine action patterns, the per-action memo) was
    /// about a tenth of a point read's time (bench/PROFILES.md).
    public func authorize(route: RestAction, existingIndices: [String], memo: AuthenticationMemo) -> AuthorizationDecision {
        if memo.state === currentState(), let last = memo.lastRoute, last.route.hasSameBytes(as: route),
           last.existingIndices.hasSameBytes(as: existingIndices) {
            return last.decision
        }
        let decision = authorize(memo.user, route: route, existingIndices: existingIndices)
        memo.lastRoute = AuthenticationMemo.RouteDecision(route: route, existingIndices: existingIndices, decision: decision)
        return decision
    }
}
