import Foundation
import JSONValue
import LabTestSupport
import Testing
@testable import NodeServer
@testable import SecurityEngine

/// Headers that try to smuggle identity or a second request (reference §2.3, §7; RFC 9112 §6.3).
@Suite(.serialized) struct HeaderAbuseTests {
    static func probe(_ lab: LabNode, as client: String?) async throws -> TLSProbe {
        try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"),
                                   identity: try client.map { try TLSProbe.Identity(certificate: lab.cert($0), key: lab.key($0)) })
    }

    /// The 403 `security_exception` of reference §7; its reason's first line is the plugin's.
    static let illegalParameter = String(decoding: SecurityResponse.securityException(403, reason: SecurityService.illegalParameterMessage).body, as: UTF8.self)

    @Test func theRefusalReadsLikeThePlugins() {
        #expect(SecurityService.illegalParameterMessage.hasPrefix("Illegal parameter in http or transport request found.\n"))
        #expect(Self.illegalParameter.hasPrefix(#"{"error":{"root_cause":[{"type":"security_exception","reason":"Illegal parameter in http or transport request found.\n"#))
        #expect(Self.illegalParameter.hasSuffix(#""},"status":403}"#))
    }

    /// Any header starting `_opendistro_security_` (any case) is refused with 403 and BAD_HEADERS
    /// before authentication — also from the admin certificate, and also when the spoofed value
    /// would make the caller an admin. Nothing behind it runs.
    @Test func threadContextHeadersAreRefusedNeverTrusted() async throws {
        try await LabNode.with(adjust: AuditTrail.fileSink) { lab in
            let trail = AuditTrail(lab: lab)
            let attempts: [(client: String?, header: (String, String))] = [
                (nil, ("_opendistro_security_user", "admin")),
                (nil, ("_opendistro_security_ssl_principal", "CN=admin,OU=lab,O=certlab")),
                ("CLIENT1", ("_OpenDistro_Security_User", "CN=admin,OU=lab,O=certlab")),
                ("CLIENT1", ("_opendistro_security_origin", "LOCAL")),
                ("CLIENT1", ("_opendistro_security_conf_request", "true")),
                ("admin", ("_opendistro_security_remotecn", "anything")),
            ]
            for (client, header) in attempts {
                let mark = await trail.all().count
                let probe = try await Self.probe(lab, as: client)
                let response = await probe.request("PUT", "/_opendistro/_security/api/rolesmapping/all_access",
                                                   headers: [header, ("Content-Type", "application/json")],
                                                   body: Array(#"{"users":["CLIENT1"]}"#.utf8))
                await probe.close()
                #expect(response?.status == 403, "\(header.0)")
                #expect(response?.body == Self.illegalParameter, "\(header.0)")
                let events = await trail.events(after: mark, expected: 1)
                #expect(AuditTrail.categories(events) == ["BAD_HEADERS"], "\(header.0)")
                #expect(events.first?["audit_rest_request_headers"]?[header.0] == [.string(header.1)], "\(header.0)")
            }
            let mapping = try await lab.curl("GET", "/_opendistro/_security/api/rolesmapping/all_access", as: "admin")
            #expect(try JSON(parsing: mapping.body)["all_access"]?["users"] == ["admin"])
        }
    }

    /// `opendistro_security_impersonate_as` when `rest_impersonation_user` allows nothing
    /// (reference §2.3 step 8): the plugin's two refusals; `X-Forwarded-For` is ignored while `xff` is disabled.
    @Test func impersonationAndForwardedForAreNotTrusted() async throws {
        try await LabNode.with(adjust: AuditTrail.fileSink) { lab in
            let trail = AuditTrail(lab: lab)
            for (target, reason) in [("kibanaro", "'CLIENT1' is not allowed to impersonate as 'kibanaro'"),
                                     ("CN=admin,OU=lab,O=certlab", "It is not allowed to impersonate as an adminuser  'CN=admin,OU=lab,O=certlab'")] {
                let mark = await trail.all().count
                let probe = try await Self.probe(lab, as: "CLIENT1")
                let response = await probe.request("GET", "/_opendistro/_security/authinfo", headers: [("opendistro_security_impersonate_as", target)])
                await probe.close()
                #expect(response?.status == 403)
                #expect(response?.body == #"{"error":{"root_cause":[{"type":"security_exception","reason":"\#(reason)"}],"type":"security_exception","reason":"\#(reason)"},"status":403}"#)
                let events = await trail.events(after: mark, expected: 1)
                #expect(AuditTrail.categories(events) == ["FAILED_LOGIN"])
                #expect(events.first?["audit_request_effective_user"]?.stringValue == "CLIENT1")
            }
            let probe = try await Self.probe(lab, as: "CLIENT1")
            let forwarded = await probe.request("GET", "/_opendistro/_security/authinfo", headers: [("X-Forwarded-For", "10.9.9.9")])
            await probe.close()
            #expect(forwarded?.status == 200)
            let remote = try JSON(parsing: forwarded?.body ?? "")["remote_address"]?.stringValue ?? ""
            #expect(remote.hasPrefix("127.0.0.1:"))
        }
    }

    /// With `authcz.rest_impersonation_user.CLIENT1: ["reader*"]` the header is honoured: the
    /// node answers as `reader1` (authinfo names it), and what `reader1` is refused is audited
    /// with `reader1` as the effective and CLIENT1 as the initiating user.
    @Test func allowedImpersonationActsAsTheTarget() async throws {
        try await LabNode.with(adjust: { configuration in
            AuditTrail.fileSink(&configuration)
            configuration.settings.restImpersonationUsers = ["CLIENT1": ["reader*"]]
        }) { lab in
            let trail = AuditTrail(lab: lab)
            let probe = try await Self.probe(lab, as: "CLIENT1")
            let info = await probe.request("GET", "/_opendistro/_security/authinfo", headers: [("opendistro_security_impersonate_as", "reader1")])
            #expect(info?.status == 200)
            #expect(try JSON(parsing: info?.body ?? "")["user_name"]?.stringValue == "reader1")
            await probe.close()
            let mark = await trail.all().count
            let second = try await Self.probe(lab, as: "CLIENT1")
            let denied = await second.request("GET", "/movies/_doc/1", headers: [("opendistro_security_impersonate_as", "reader1")])
            await second.close()
            #expect(denied?.status == 403)
            #expect(denied?.body.contains("no permissions for [indices:data/read/get] and User [name=reader1") == true, "\(denied?.body ?? "")")
            let events = await trail.events(after: mark, expected: 1)
            #expect(AuditTrail.categories(events) == ["MISSING_PRIVILEGES"])
            #expect(events.first?["audit_request_effective_user"]?.stringValue == "reader1")
            #expect(events.first?["audit_request_initiating_user"]?.stringValue == "CLIENT1")
        }
    }

    /// Request smuggling: a request that carries both `Content-Length` and `Transfer-Encoding`,
    /// or two different lengths, is ambiguous (RFC 9112 §6.3); the node answers 400 with
    /// `Connection: close` and closes, so the smuggled second request is never read.
    @Test func ambiguousFramingGets400AndTheConnectionClosed() async throws {
        try await LabNode.with { lab in
            let smuggled = "GET /_opendistro/_security/authinfo HTTP/1.1\r\nHost: localhost\r\n\r\n"
            let framings = [
                "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
                "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + smuggled,
                "Content-Length: 5\r\nContent-Length: 60\r\n\r\n" + "{}\n\n\n" + smuggled,
            ]
            for framing in framings {
                let probe = try await Self.probe(lab, as: "admin")
                await probe.send("POST /_bulk HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n" + framing)
                let response = await probe.response(timeout: .seconds(5))
                #expect(response == TLSProbe.Response(status: 400, headers: [("Connection", "close"), ("Content-Length", "0")], body: ""), "\(framing)")
                #expect(await probe.waitForClose(timeout: .seconds(5)), "\(framing)")
                #expect(probe.receivedText.components(separatedBy: "HTTP/1.1 ").count == 2, "exactly one response: \(probe.receivedText)")
                await probe.close()
            }
            #expect(try await lab.curl("GET", "/", as: "admin").status == 200)
        }
    }
}
