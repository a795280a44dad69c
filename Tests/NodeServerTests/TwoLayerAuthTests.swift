import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// Certificate plus basic authentication (reference §2.3–§2.6): the domain order decides, OPTIONAL
/// falls back to basic when no certificate is sent, and a wrong password gets the challenge.
@Suite(.serialized) struct TwoLayerAuthTests {
    @Test func basicCredentialsWorkWithoutCertificateInOptionalMode() async throws {
        try await LabNode.with { lab in
            let result = try await lab.curl("GET", "/_opendistro/_security/authinfo", basic: "admin:admin")
            #expect(result.status == 200)
            #expect(result.body.contains(#""user_name":"admin""#))
            #expect(result.body.contains(#""principal":null"#))
            let pretty = try await lab.curl("GET", "/_opendistro/_security/authinfo?pretty&filter_path=user_name", basic: "admin:admin")
            #expect(pretty.body == "{\n  \"user_name\" : \"admin\"\n}\n")
        }
    }

    @Test func certificateAndBasicTogetherAuthenticateByTheFirstDomainInOrder() async throws {
        try await LabNode.with { lab in
            let result = try await lab.curl("GET", "/_opendistro/_security/authinfo", as: "CLIENT1", basic: "kibanaro:kibanaro")
            #expect(result.status == 200)
            let domains = try String(contentsOfFile: lab.directory.path("config/security/config.yml"), encoding: .utf8)
            // The lab's config orders the clientcert domain before basic, so the certificate wins.
            #expect(domains.contains("clientcert_auth_domain"))
            #expect(result.body.contains(#""user_name":"CLIENT1""#))
            #expect(result.body.contains(#""principal":"CN=CLIENT1,OU=lab,O=certlab""#))
        }
    }

    @Test func wrongPasswordGetsTheRealmChallenge() async throws {
        try await LabNode.with { lab in
            let result = try await run("curl", ["-sS", "-i", "--cacert", lab.cert("root-ca"), "-u", "admin:wrong", lab.url + "/"])
            #expect(result.output.contains("HTTP/1.1 401 Unauthorized"))
            #expect(result.output.contains("WWW-Authenticate: Basic realm=\"Open Distro Security\""))
            #expect(result.output.hasSuffix("Unauthorized"))
        }
    }
}
