import Testing
@testable import SecurityEngine

/// The route decision a connection's `AuthenticationMemo` keeps is the decision a full
/// authorization gives: it is reused only for the same route, the same index names and the
/// configuration it was made under.
@Suite struct RouteDecisionMemoTests {
    static let client1 = AuthenticationRequest(principal: "CN=CLIENT1,OU=readers,OU=beats,O=certlab")

    /// CLIENT1's `readers` OU maps to a role that reads `logs-*` (or nothing, `mapped: false`).
    static func configuration(mapped: Bool) throws -> SecurityConfiguration {
        try configuration(readerPattern: "logs-*", mapped: mapped)
    }

    /// Certificate authentication (CN the user, OUs the backend roles) and a role reading
    /// `readerPattern`, mapped to the backend role `readers` unless `mapped` is false.
    static func configuration(readerPattern: String, mapped: Bool = true) throws -> SecurityConfiguration {
        try TestSupport.configuration([
            .config: """
            config:
              dynamic:
                authc:
                  clientcert_auth_domain:
                    order: 1
                    http_authenticator: {type: clientcert, challenge: false, config: {username_attribute: cn, roles_attribute: ou}}
                    authentication_backend: {type: noop}
            """,
            .roles: "logs_reader:\n  index_permissions:\n    - index_patterns: [\"\(readerPattern)\"]\n      allowed_actions: [read]\n",
            .rolesmapping: mapped ? "logs_reader:\n  backend_roles: [readers]\n" : "",
        ])
    }

    static func route(_ method: String, _ path: String) throws -> RestAction {
        try #require(RestActionTable.lookup(method: method, path: path))
    }

    @Test func aDecisionIsKeptForTheSameRouteAndIndexNamesAndRemadeForAnyOther() throws {
        let service = SecurityService(settings: try TestSupport.settings(), configuration: try Self.configuration(mapped: true))
        var authenticated: AuthenticationMemo?
        let user = try #require(service.authenticate(Self.client1, memo: &authenticated).user)
        let memo = try #require(authenticated)
        #expect(memo.lastRoute == nil)

        let get = try Self.route("GET", "/logs-a/_doc/1")
        #expect(service.authorize(route: get, existingIndices: ["logs-a"], memo: memo) == .allowed)
        #expect(memo.lastRoute?.route == get && memo.lastRoute?.decision == .allowed)
        #expect(service.authorize(route: get, existingIndices: ["logs-a"], memo: memo) == .allowed)

        // Another index on the same connection: decided afresh, the same denial as without a memo.
        let other = try Self.route("GET", "/movies/_doc/1")
        let denied = service.authorize(route: other, existingIndices: ["logs-a"], memo: memo)
        #expect(denied == service.authorize(user, route: other, existingIndices: ["logs-a"]))
        #expect(denied.response?.status == 403 && memo.lastRoute?.route == other)
        #expect(service.authorize(route: get, existingIndices: ["logs-a"], memo: memo) == .allowed)

        // The same wildcard route after an index the role cannot read appeared.
        let search = try Self.route("GET", "/*/_search")
        #expect(service.authorize(route: search, existingIndices: ["logs-a"], memo: memo) == .allowed)
        let widened = service.authorize(route: search, existingIndices: ["logs-a", "movies"], memo: memo)
        #expect(widened == service.authorize(user, route: search, existingIndices: ["logs-a", "movies"]))
        #expect(widened.isAllowed == false && memo.lastRoute?.existingIndices == ["logs-a", "movies"])
    }

    @Test func anotherConfigurationIsNeverAnsweredFromTheKeptDecision() throws {
        let service = SecurityService(settings: try TestSupport.settings(), configuration: try Self.configuration(mapped: true))
        var memo: AuthenticationMemo?
        let get = try Self.route("GET", "/logs-a/_doc/1")
        #expect(service.authenticate(Self.client1, memo: &memo).user?.name == "CLIENT1")
        #expect(service.authorize(route: get, existingIndices: ["logs-a"], memo: memo!) == .allowed)

        service.install(try Self.configuration(mapped: false))
        // Even a memo kept past its configuration (the pipeline authenticates first, which would
        // replace it) does not answer from the decision made under the old one.
        let stale = try #require(memo)
        #expect(service.authorize(route: get, existingIndices: ["logs-a"], memo: stale).isAllowed == false)
        // As the pipeline does it: authenticate, then authorize with the memo it left.
        #expect(service.authenticate(Self.client1, memo: &memo).user?.name == "CLIENT1")
        #expect(memo?.lastRoute == nil)
        #expect(service.authorize(route: get, existingIndices: ["logs-a"], memo: memo!).isAllowed == false)
    }

    /// `é` as U+00E9 and as `e` + U+0301 are equal Swift strings but two index names, and the
    /// role's pattern matches one spelling: neither the route memo nor the user's cached
    /// (action, index) decisions may hand the decision for one to the other.
    @Test func canonicallyEquivalentIndexNamesAreDecidedApart() throws {
        let composed = "\u{e9}", decomposed = "e\u{301}"
        let configuration = try Self.configuration(readerPattern: composed)
        let granted = RestAction(actions: ["indices:data/read/get"], indices: [composed])
        let other = RestAction(actions: ["indices:data/read/get"], indices: [decomposed])
        #expect(granted == other, "the premise: RestAction's == compares the names as Swift strings")
        let existing = [composed, decomposed]

        let fresh = SecurityService(settings: try TestSupport.settings(), configuration: configuration)
        let freshUser = try #require(fresh.authenticate(Self.client1).user)
        #expect(fresh.authorize(freshUser, route: other, existingIndices: existing).response?.status == 403)

        let service = SecurityService(settings: try TestSupport.settings(), configuration: configuration)
        var authenticated: AuthenticationMemo?
        let user = try #require(service.authenticate(Self.client1, memo: &authenticated).user)
        let memo = try #require(authenticated)
        #expect(service.authorize(route: granted, existingIndices: existing, memo: memo) == .allowed)
        #expect(service.authorize(route: other, existingIndices: existing, memo: memo).response?.status == 403)
        // Without the connection memo, after the user's cache decided the granted spelling.
        #expect(service.authorize(user, route: granted, existingIndices: existing) == .allowed)
        #expect(service.authorize(user, route: other, existingIndices: existing).response?.status == 403)
    }
}
