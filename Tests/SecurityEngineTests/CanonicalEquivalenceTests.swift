import PKI
import Testing
@testable import SecurityEngine

/// `é` as one code point and as `e` + U+0301 are equal Swift strings, but the plugin (Java,
/// comparing UTF-16 units) sees two names. Every cache the security engine keys by a name must
/// see two as well, or a decision made for one spelling is handed to the other.
@Suite struct CanonicalEquivalenceTests {
    static let composed = "\u{e9}", decomposed = "e\u{301}"

    /// A mapping of the user `é` gives its role to that spelling only, whichever is seen first
    /// (the parsed-principal and permission caches).
    @Test func canonicallyEquivalentUserNamesAreMappedApart() throws {
        let (composed, decomposed) = (Self.composed, Self.decomposed)
        let configuration = try TestSupport.configuration([
            .config: "config:\n  dynamic:\n    authc:\n      clientcert_auth_domain:\n        order: 1\n"
                + "        http_authenticator: {type: clientcert, challenge: false, config: {username_attribute: cn}}\n"
                + "        authentication_backend: {type: noop}\n",
            .roles: "accent_reader:\n  index_permissions:\n    - index_patterns: [\"logs-*\"]\n      allowed_actions: [read]\n",
            .rolesmapping: "accent_reader:\n  users: [\"\(composed)\"]\n",
        ])
        let alone = SecurityService(settings: try TestSupport.settings(), configuration: configuration)
        #expect(try #require(alone.authenticate(AuthenticationRequest(principal: "CN=\(decomposed),O=certlab")).user).securityRoles == [])
        let service = SecurityService(settings: try TestSupport.settings(), configuration: configuration)
        let mapped = try #require(service.authenticate(AuthenticationRequest(principal: "CN=\(composed),O=certlab")).user)
        let unmapped = try #require(service.authenticate(AuthenticationRequest(principal: "CN=\(decomposed),O=certlab")).user)
        #expect(mapped.name == unmapped.name, "the premise: the two names are equal Swift strings")
        #expect(mapped.securityRoles == ["accent_reader"] && unmapped.securityRoles == [])
        let get = try #require(RestActionTable.lookup(method: "GET", path: "/logs-a/_doc/1"))
        #expect(service.authorize(mapped, route: get, existingIndices: ["logs-a"]) == .allowed)
        #expect(service.authorize(unmapped, route: get, existingIndices: ["logs-a"]).response?.status == 403)
    }

    /// The `admin_dn` verdict is remembered per principal string: a look-alike spelling of the
    /// admin's name, checked after the real one, is not the admin.
    @Test func anAdminDNLookAlikeIsNotTheAdmin() throws {
        let settings = try NodeSettings(yaml: "opendistro_security.authcz.admin_dn: [\"CN=\(Self.composed)mile,O=lab\"]", file: "node.yml")
        let service = SecurityService(settings: settings)
        #expect(service.isAdminPrincipal("CN=\(Self.composed)mile,O=lab"))
        #expect(!service.isAdminPrincipal("CN=\(Self.decomposed)mile,O=lab"))
        #expect(service.isAdminPrincipal("CN=\(Self.composed)mile,O=lab"))
    }

    /// A connection's memo is reused only for byte-identical headers: a header value spelled the
    /// other way (a proxy's user header, an impersonation target) gets a full authentication.
    @Test func theConnectionMemoComparesHeadersByTheirBytes() throws {
        let service = try AuthenticationTests.labService()
        let principal = "CN=CLIENT1,OU=lab,O=certlab"
        var memo: AuthenticationMemo?
        let composed = AuthenticationRequest(principal: principal, headers: [("X-Note", Self.composed)])
        #expect(service.authenticate(composed, memo: &memo).user?.name == "CLIENT1")
        let first = try #require(memo)
        #expect(service.authenticate(composed, memo: &memo).user?.name == "CLIENT1")
        #expect(memo === first, "the same bytes reuse the memo")
        let decomposed = AuthenticationRequest(principal: principal, headers: [("X-Note", Self.decomposed)])
        #expect(service.authenticate(decomposed, memo: &memo).user?.name == "CLIENT1")
        #expect(memo !== first, "another spelling is authenticated afresh")
    }
}
