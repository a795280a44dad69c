import Foundation
import Testing
@testable import SecurityEngine

/// A connection's `AuthenticationMemo` gives the same answers as a full authentication: it is
/// only reused for the same configuration, principal, peer and headers, never while a failure
/// listener blocks, and never holds a password login or an admin certificate.
@Suite struct AuthenticationMemoTests {
    static let client1 = "CN=CLIENT1,OU=readers,OU=beats,O=certlab"

    @Test func sameRequestFactsReuseTheUserAndOtherHeadersDoNot() throws {
        let service = try AuthenticationTests.labService()
        var memo: AuthenticationMemo?
        let first = try #require(service.authenticate(AuthenticationRequest(principal: Self.client1), memo: &memo).user)
        #expect(first.name == "CLIENT1" && first.backendRoles == ["readers", "beats"] && memo != nil)
        let again = try #require(service.authenticate(AuthenticationRequest(principal: Self.client1), memo: &memo).user)
        #expect(again.description == first.description)
        // A tenant header changes the user, so it must not come from the memo.
        let tenant = AuthenticationRequest(principal: Self.client1, headers: [("securitytenant", "lab")])
        #expect(try #require(service.authenticate(tenant, memo: &memo).user).requestedTenant == "lab")
        #expect(try #require(service.authenticate(tenant, memo: &memo).user).requestedTenant == "lab")
        // Another peer address: `readall` is mapped by host pattern 203.0.113.*.
        let mapped = AuthenticationRequest(principal: Self.client1, remoteAddress: "203.0.113.9")
        #expect(try #require(service.authenticate(mapped, memo: &memo).user).securityRoles.contains("readall"))
        let unmapped = AuthenticationRequest(principal: Self.client1, remoteAddress: "198.51.100.9")
        #expect(try #require(service.authenticate(unmapped, memo: &memo).user).securityRoles.contains("readall") == false)
    }

    @Test func anotherConfigurationIsNeverAnsweredFromTheMemo() throws {
        let service = try AuthenticationTests.labService()
        var memo: AuthenticationMemo?
        #expect(service.authenticate(AuthenticationRequest(principal: Self.client1), memo: &memo).user?.name == "CLIENT1")
        // The same domain without `username_attribute`: the user name is the whole DN.
        service.install(try TestSupport.configuration([.config: """
            config:
              dynamic:
                authc:
                  clientcert_auth_domain:
                    order: 1
                    http_authenticator: {type: clientcert, challenge: false}
                    authentication_backend: {type: noop}
            """]))
        #expect(service.authenticate(AuthenticationRequest(principal: Self.client1), memo: &memo).user?.name == Self.client1)
    }

    @Test func aBlockedAddressIsRefusedOnAMemoisedConnection() throws {
        let service = try AuthenticationTests.labService(extraConfig: """
            auth_failure_listeners:
                  ip_limit: {type: ip, allowed_tries: 2, time_window_seconds: 60, block_expiry_seconds: 600}
            """)
        let certificate = AuthenticationRequest(principal: Self.client1, remoteAddress: "192.0.2.50")
        var memo: AuthenticationMemo?
        #expect(service.authenticate(certificate, memo: &memo).user?.name == "CLIENT1")
        for _ in 0..<2 {
            #expect(service.authenticate(AuthenticationRequest(headers: [TestSupport.basic("alice", "bad")], remoteAddress: "192.0.2.50")).response?.status == 401)
        }
        let blocked = try #require(service.authenticate(certificate, memo: &memo).response)
        #expect(blocked.status == 401 && blocked.bodyText == "Authentication finally failed")
        #expect(memo == nil)
    }

    @Test func passwordLoginsAndAdminCertificatesAreNotMemoised() throws {
        let service = try AuthenticationTests.labService()
        var memo: AuthenticationMemo?
        let alice = AuthenticationRequest(headers: [TestSupport.basic("alice", "alice-pw")])
        #expect(service.authenticate(alice, memo: &memo).user?.name == "alice")
        #expect(memo == nil)
        let admin = AuthenticationRequest(principal: "CN=admin,OU=lab,O=certlab")
        #expect(service.authenticate(admin, memo: &memo).user?.isSuperAdmin == true)
        #expect(memo == nil)
        #expect(service.authenticate(AuthenticationRequest(principal: "CN=nobody"), memo: &memo).user?.name == "nobody")
        #expect(memo != nil)
        #expect(service.authenticate(AuthenticationRequest(), memo: &memo).response?.status == 401)
        #expect(memo == nil, "a rejection clears the memo")
    }
}
