import Foundation
import JSONValue
import Testing
@testable import SecurityEngine

/// The REST authentication flow and its responses (reference §2.3–§2.6, §7).
@Suite struct AuthenticationTests {
    /// Cheap hashes keep the suite fast; production hashes are cost 12.
    static let aliceHash = PasswordVerifier.hash("alice-pw", cost: 4)

    static func labService(_ flavor: Flavor = .openDistro, extraConfig: String = "", anonymous: Bool = false,
                           nodeSettings: String = "") throws -> SecurityService {
        let configuration = try TestSupport.configuration([
            .config: """
            config:
              dynamic:
                http:
                  anonymous_auth_enabled: \(anonymous)
                  xff: {enabled: true, internalProxies: '10\\.0\\.0\\.1'}
                authc:
                  clientcert_auth_domain:
                    order: 1
                    http_authenticator: {type: clientcert, challenge: false, config: {username_attribute: cn, roles_attribute: ou, skip_users: ["CN=skip*"]}}
                    authentication_backend: {type: noop}
                  proxy_auth_domain:
                    order: 2
                    http_authenticator: {type: proxy, challenge: false, config: {user_header: x-proxy-user, roles_header: x-proxy-roles}}
                    authentication_backend: {type: noop}
                  basic_internal_auth_domain:
                    order: 3
                    http_authenticator: {type: basic, challenge: true}
                    authentication_backend: {type: intern}
                \(extraConfig)
            """,
            .internalusers: """
            alice:
              hash: "\(aliceHash)"
              backend_roles: [admin]
              attributes: {dept: ops}
              opendistro_security_roles: [logs_reader]
            "CN=admin,OU=lab,O=certlab":
              hash: "\(aliceHash)"
            """,
            .roles: "logs_reader:\n  index_permissions:\n    - index_patterns: [\"logs-*\"]\n      allowed_actions: [read]\n",
            .rolesmapping: "all_access:\n  backend_roles: [admin]\nreadall:\n  hosts: [\"203.0.113.*\"]\n",
        ], flavor: flavor)
        return SecurityService(settings: try TestSupport.settings(flavor, extra: nodeSettings), configuration: configuration)
    }

    @Test func adminCertificateIsSuperAdminEvenBeforeInitialisation() throws {
        let service = SecurityService(settings: try TestSupport.settings())
        let outcome = service.authenticate(AuthenticationRequest(principal: "CN=admin,OU=lab,O=certlab"))
        let user = try #require(outcome.user)
        #expect(user.isSuperAdmin && user.name == "CN=admin,OU=lab,O=certlab")
        #expect(user.description == "User [name=CN=admin,OU=lab,O=certlab, backend_roles=[], requestedTenant=null]")
    }

    @Test(arguments: Flavor.allCases)
    func notInitialisedIs503(flavor: Flavor) throws {
        let service = SecurityService(settings: try TestSupport.settings(flavor))
        let response = try #require(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("alice", "x")])).response)
        #expect(response.status == 503)
        #expect(response.bodyText == (flavor == .openDistro ? "Open Distro Security not initialized." : "OpenSearch Security not initialized."))
        #expect(response.contentType == "text/plain; charset=UTF-8")
    }

    @Test(arguments: Flavor.allCases)
    func missingCredentialsGetTheChallenge(flavor: Flavor) throws {
        let service = try Self.labService(flavor)
        let outcome = service.authenticate(AuthenticationRequest())
        guard case .rejected(let response, let audit, let attempted) = outcome else { Issue.record("expected a rejection"); return }
        #expect(response.status == 401 && response.bodyText == "Unauthorized")
        #expect(response.headers == ["WWW-Authenticate": flavor == .openDistro ? "Basic realm=\"Open Distro Security\"" : "Basic realm=\"OpenSearch Security\""])
        #expect(audit == .failedLogin && attempted == "<NONE>")
    }

    @Test func wrongPasswordGetsTheChallengeToo() throws {
        let outcome = try Self.labService().authenticate(AuthenticationRequest(headers: [TestSupport.basic("alice", "nope")]))
        guard case .rejected(let response, _, let attempted) = outcome else { Issue.record("expected a rejection"); return }
        #expect(response.status == 401 && response.bodyText == "Unauthorized" && attempted == "alice")
    }

    @Test func basicUserGetsRolesAttributesAndTenant() throws {
        let request = AuthenticationRequest(headers: [TestSupport.basic("alice", "alice-pw"), ("securitytenant", "lab")], remoteAddress: "192.0.2.9")
        let user = try #require(try Self.labService().authenticate(request).user)
        #expect(user.name == "alice" && user.backendRoles == ["admin"] && user.isInternal)
        #expect(user.securityRoles == ["all_access", "logs_reader"])
        #expect(user.attributes == ["attr.internal.dept": "ops"])
        #expect(user.authenticatedBy == "basic_internal_auth_domain")
        #expect(user.description == "User [name=alice, backend_roles=[admin], requestedTenant=lab]")
    }

    @Test func clientCertificateUsesCNAndOUs() throws {
        let request = AuthenticationRequest(principal: "CN=CLIENT1,OU=readers,OU=beats,O=certlab")
        let user = try #require(try Self.labService().authenticate(request).user)
        #expect(user.name == "CLIENT1" && user.backendRoles == ["readers", "beats"] && !user.isSuperAdmin)
        #expect(user.authenticatedBy == "clientcert_auth_domain")
    }

    @Test func clientCertificateWithoutCNUsesTheWholeDN() throws {
        let user = try #require(try Self.labService().authenticate(AuthenticationRequest(principal: "O=certlab,L=Graz")).user)
        #expect(user.name == "O=certlab,L=Graz" && user.backendRoles == [])
    }

    /// An empty principal (SAN-only certificate) is no certificate; an empty CN fails the
    /// domain (the plugin's `AuthCredentials` refuses empty user names): both reach basic.
    @Test func emptyPrincipalOrEmptyUserNameFallsThroughToBasic() throws {
        for principal in ["", "CN=,OU=lab,O=certlab"] {
            let outcome = try Self.labService().authenticate(AuthenticationRequest(principal: principal))
            #expect(outcome.user == nil, "\(principal)")
            #expect(outcome.response?.status == 401, "\(principal)")
        }
    }

    /// `opendistro_security_impersonate_as` without `authcz.rest_impersonation_user`: the
    /// plugin's refusals, and an admin DN is refused before the allow list is even read.
    @Test func impersonationIsRefusedWithThePluginsMessages() throws {
        let asAlice = AuthenticationRequest(headers: [TestSupport.basic("alice", "alice-pw"), ("opendistro_security_impersonate_as", "bob")])
        let refused = try #require(try Self.labService().authenticate(asAlice).response)
        #expect(refused.status == 403)
        #expect(refused.bodyText.contains(#""reason":"'alice' is not allowed to impersonate as 'bob'""#))
        let asAdmin = AuthenticationRequest(principal: "CN=CLIENT1,O=certlab", headers: [("opendistro_security_impersonate_as", "CN=admin,OU=lab,O=certlab")])
        let adminRefused = try #require(try Self.labService().authenticate(asAdmin).response)
        #expect(adminRefused.bodyText.contains(#""reason":"It is not allowed to impersonate as an adminuser  'CN=admin,OU=lab,O=certlab'""#))
    }

    /// `authcz.rest_impersonation_user` (reference §1.12, §2.3): listed patterns (glob and
    /// `/regex/`) allow a caller to act as another user, who must exist for one of the HTTP
    /// domains' backends in chain order. The certificate domain's `noop` backend knows every
    /// name, so CLIENT1's `svc-reports` and `alice` are bare users (no internal roles); the
    /// caller stays on record as the initiating user.
    @Test func restImpersonationUserLetsListedCallersActAsOthers() throws {
        let service = try Self.labService(nodeSettings: """
            opendistro_security.authcz.rest_impersonation_user:
              CLIENT1: ["alice", "svc-*"]
            """)
        func impersonating(_ target: String) -> AuthenticationOutcome {
            service.authenticate(AuthenticationRequest(principal: "CN=CLIENT1,OU=lab,O=certlab",
                                                       headers: [("opendistro_security_impersonate_as", target)], remoteAddress: "127.0.0.1"))
        }
        let service1 = try #require(impersonating("svc-reports").user)
        #expect(service1.name == "svc-reports" && service1.initiatingUser == "CLIENT1")
        #expect(service1.backendRoles == [] && service1.securityRoles == [] && service1.remoteAddress == "127.0.0.1")
        let alice = try #require(impersonating("alice").user)
        #expect(alice.name == "alice" && alice.initiatingUser == "CLIENT1" && alice.backendRoles == [] && !alice.isInternal)
        let refused = try #require(impersonating("bob").response)
        #expect(refused.status == 403)
        #expect(refused.bodyText.contains(#""reason":"'CLIENT1' is not allowed to impersonate as 'bob'""#))
        let admin = try #require(impersonating("CN=admin,OU=lab,O=certlab").response)
        #expect(admin.bodyText.contains(#""reason":"It is not allowed to impersonate as an adminuser  'CN=admin,OU=lab,O=certlab'""#))
        #expect(service.authenticate(AuthenticationRequest(principal: "CN=CLIENT1,OU=lab,O=certlab")).user?.initiatingUser == nil)
    }

    /// With only the internal users database behind the HTTP domains, the target must be an
    /// internal user; it then brings its backend roles, attributes and security roles. Someone
    /// it does not know: 403 `No such user:<name>`.
    @Test func impersonatedUsersMustExistInTheBackend() throws {
        let configuration = try TestSupport.configuration([
            .config: """
            config:
              dynamic:
                authc:
                  basic_internal_auth_domain:
                    order: 0
                    http_authenticator: {type: basic, challenge: true}
                    authentication_backend: {type: intern}
            """,
            .internalusers: """
            alice:
              hash: "\(Self.aliceHash)"
            bob:
              hash: "\(Self.aliceHash)"
              backend_roles: [admin]
              attributes: {dept: ops}
              opendistro_security_roles: [logs_reader]
            """,
            .roles: "logs_reader:\n  index_permissions:\n    - index_patterns: [\"logs-*\"]\n      allowed_actions: [read]\n",
            .rolesmapping: "all_access:\n  backend_roles: [admin]\n",
        ])
        let settings = try TestSupport.settings(extra: "opendistro_security.authcz.rest_impersonation_user.alice: [\"/bo+b/\"]")
        let service = SecurityService(settings: settings, configuration: configuration)
        func aliceAs(_ target: String) -> AuthenticationOutcome {
            service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("alice", "alice-pw"), ("opendistro_security_impersonate_as", target)]))
        }
        let bob = try #require(aliceAs("bob").user)
        #expect(bob.name == "bob" && bob.initiatingUser == "alice" && bob.isInternal)
        #expect(bob.backendRoles == ["admin"] && bob.attributes == ["attr.internal.dept": "ops"])
        #expect(Set(bob.securityRoles) == ["all_access", "logs_reader"])
        let ghost = try #require(aliceAs("boob").response)
        #expect(ghost.status == 403)
        #expect(ghost.bodyText.contains(#""reason":"No such user:boob""#))
        #expect(aliceAs("carol").response?.bodyText.contains(#""reason":"'alice' is not allowed to impersonate as 'carol'""#) == true)
    }

    @Test func skipUsersFallThroughToBasic() throws {
        let request = AuthenticationRequest(principal: "CN=skipme,O=certlab", headers: [TestSupport.basic("alice", "alice-pw")])
        #expect(try Self.labService().authenticate(request).user?.name == "alice")
    }

    @Test func adminDNThroughAnAuthDomainIsRefused() throws {
        let outcome = try Self.labService().authenticate(AuthenticationRequest(headers: [TestSupport.basic("CN=admin,OU=lab,O=certlab", "alice-pw")]))
        let response = try #require(outcome.response)
        #expect(response.status == 403)
        #expect(response.bodyText == "Cannot authenticate user because admin user is not permitted to login via HTTP")
    }

    @Test func noChallengingDomainMeansAuthenticationFinallyFailed() throws {
        let configuration = try TestSupport.configuration([.config: """
            config:
              dynamic:
                authc:
                  cc: {order: 0, http_authenticator: {type: clientcert, challenge: false}, authentication_backend: {type: noop}}
            """])
        let service = SecurityService(settings: try TestSupport.settings(), configuration: configuration)
        let response = try #require(service.authenticate(AuthenticationRequest()).response)
        #expect(response.status == 401 && response.bodyText == "Authentication finally failed" && response.headers.isEmpty)
    }

    @Test func equalOrdersCollapseToTheFirstDomain() throws {
        let configuration = try TestSupport.configuration([.config: """
            config:
              dynamic:
                authc:
                  first: {order: 1, http_authenticator: {type: clientcert, challenge: false}, authentication_backend: {type: noop}}
                  second: {order: 1, http_authenticator: {type: basic, challenge: true}, authentication_backend: {type: intern}}
            """])
        #expect(configuration.dynamic.httpDomainChain.map(\.name) == ["first"])
    }

    @Test func anonymousUserWhenEnabled() throws {
        let user = try #require(try Self.labService(anonymous: true).authenticate(AuthenticationRequest()).user)
        #expect(user.name == "opendistro_security_anonymous" && user.backendRoles == ["opendistro_security_anonymous_backendrole"])
    }

    @Test func forbiddenHeaderIsRejectedFirst() throws {
        let outcome = try Self.labService().authenticate(AuthenticationRequest(principal: "CN=admin,OU=lab,O=certlab", headers: [("_OpenDistro_Security_User", "x")]))
        guard case .rejected(let response, let audit, _) = outcome else { Issue.record("expected a rejection"); return }
        #expect(response.status == 403 && audit == .badHeaders)
        #expect(response.bodyText.hasPrefix("{\"error\":{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"Illegal parameter in http or transport request found.\\n"))
    }

    @Test func xffResolvesTheClientAndHostsMappingApplies() throws {
        let request = AuthenticationRequest(headers: [TestSupport.basic("alice", "alice-pw"), ("X-Forwarded-For", "203.0.113.7, 10.0.0.1")],
                                            remoteAddress: "10.0.0.1")
        let user = try #require(try Self.labService().authenticate(request).user)
        #expect(user.remoteAddress == "203.0.113.7")
        #expect(user.securityRoles == ["all_access", "logs_reader", "readall"])
    }

    @Test func proxyHeadersOnlyFromTrustedProxies() throws {
        let headers = [("x-proxy-user", "bob"), ("x-proxy-roles", "admin, ops")]
        let trusted = try Self.labService().authenticate(AuthenticationRequest(headers: headers, remoteAddress: "10.0.0.1"))
        #expect(trusted.user?.name == "bob" && trusted.user?.backendRoles == ["admin", "ops"])
        let direct = try Self.labService().authenticate(AuthenticationRequest(headers: headers, remoteAddress: "192.0.2.1"))
        #expect(direct.response?.status == 401)
    }

    @Test func ipFailureListenerBlocksAfterAllowedTries() throws {
        let service = try Self.labService(extraConfig: """
            auth_failure_listeners:
                  ip_limit: {type: ip, allowed_tries: 2, time_window_seconds: 60, block_expiry_seconds: 600}
            """)
        for _ in 0..<2 {
            #expect(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("alice", "bad")], remoteAddress: "192.0.2.50")).response?.status == 401)
        }
        let blocked = try #require(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("alice", "alice-pw")], remoteAddress: "192.0.2.50")).response)
        #expect(blocked.bodyText == "Authentication finally failed")
        #expect(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("alice", "alice-pw")], remoteAddress: "192.0.2.51")).user?.name == "alice")
    }

    @Test(arguments: [
        ("Basic " + Data("alice".utf8).base64EncodedString(), false),
        ("Basic " + Data(":alice-pw".utf8).base64EncodedString(), false),
        ("  bAsIc " + Data("alice:alice-pw".utf8).base64EncodedString(), true),
        ("Bearer abc", false),
        ("Basic !!!notbase64", false),
    ])
    func basicHeaderParsing(header: String, accepted: Bool) throws {
        let outcome = try Self.labService().authenticate(AuthenticationRequest(headers: [("authorization", header)]))
        #expect((outcome.user?.name == "alice") == accepted)
    }

    @Test func passwordsMayContainColons() throws {
        let hash = PasswordVerifier.hash("a:b:c", cost: 4)
        let configuration = try TestSupport.configuration([
            .config: "config:\n  dynamic:\n    authc:\n      b: {order: 0, http_authenticator: {type: basic}, authentication_backend: {type: internal}}\n",
            .internalusers: "carol:\n  hash: \"\(hash)\"\n",
        ])
        let service = SecurityService(settings: try TestSupport.settings(), configuration: configuration)
        #expect(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("carol", "a:b:c")])).user?.name == "carol")
    }

    @Test(arguments: [
        (Flavor.openDistro, "OPTIONS", "/x", true), (.openDistro, "GET", "/_opendistro/_security/health", true),
        (.openDistro, "GET", "/_opendistro/_security/whoami", false), (.openSearch, "GET", "/_plugins/_security/whoami", true),
        (.openSearch, "POST", "/_plugins/_security/health", true), (.openDistro, "GET", "/_opendistro/_security/authinfo", false),
    ])
    func unauthenticatedPaths(flavor: Flavor, method: String, path: String, skipped: Bool) throws {
        #expect(SecurityService(settings: try TestSupport.settings(flavor)).skipsAuthentication(method: method, path: path) == skipped)
    }
}

extension AuthenticationTests {
    @Test func openSearchPluginErrorShape() throws {
        let response = try Self.labService(.openSearch).pluginError(403, "Unable to validate certificate (CRL)")
        #expect(response.bodyText == #"{"error":{"status":"error","reason":"Unable to validate certificate (CRL)"}}"#)
        let odfe = try Self.labService(.openDistro).pluginError(403, "x")
        #expect(odfe.bodyText == #"{"error":{"root_cause":[{"type":"security_exception","reason":"x"}],"type":"security_exception","reason":"x"},"status":403}"#)
    }
}
