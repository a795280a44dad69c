import Foundation
import JSONValue
import LabTestSupport
import Testing
@testable import NodeServer

/// Every `CertificateCase` against every `clientauth_mode` (reference §1.3, §1.5, §1.6, §2.6):
/// the exact answer — handshake alert, 401 challenge, CRL 403 or `authinfo` body — and the
/// audit event the plugin would write (§9). OPTIONAL and REQUIRE are in the quick set; NONE,
/// where every case is simply anonymous, runs in `make reliability`.
@Suite(.serialized) struct CertificateMatrixTests {
    static let path = "/_opendistro/_security/authinfo"

    @Test func optionalModeMatrix() async throws {
        try await runMatrix(.optional)
    }

    @Test func requireModeMatrix() async throws {
        try await runMatrix(.require)
    }

    @Test(.slowReliabilityCase) func noneModeMatrix() async throws {
        try await runMatrix(.none)
    }

    @Test func theMatrixHasTwentyCasesBesidesTheAnonymousOne() {
        #expect(CertificateCase.all.filter { $0.certificate != nil }.count >= 20)
        #expect(Set(CertificateCase.all.map(\.name)).count == CertificateCase.all.count)
    }

    func runMatrix(_ mode: ClientAuthMode) async throws {
        let files = try LabFiles()
        try HostileCertificates.issue(into: files)
        try await LabNode.with(files: files, adjust: {
            $0.settings.clientAuthMode = mode
            AuditTrail.fileSink(&$0)
        }) { lab in
            let trail = AuditTrail(lab: lab)
            for certificateCase in CertificateCase.all {
                try await check(certificateCase, mode: mode, lab: lab, trail: trail)
            }
        }
    }

    func check(_ certificateCase: CertificateCase, mode: ClientAuthMode, lab: LabNode, trail: AuditTrail) async throws {
        let label = "\(mode.rawValue) / \(certificateCase.name)"
        let mark = await trail.all().count
        let probe = try await TLSProbe.connect(port: lab.port, trustRoot: lab.cert("root-ca"), identity: certificateCase.identity(lab.files))
        let response = await probe.request("GET", Self.path, headers: [("Connection", "close")])
        await probe.close()
        let expected = certificateCase.expected(in: mode)
        switch expected {
        case .authenticated(let user, let principal, let roles):
            let response = try #require(response, "\(label): no response, \(probe.errorText ?? "")")
            #expect(response.status == 200, "\(label)")
            let remote = try JSON(parsing: response.body)["remote_address"]?.stringValue ?? ""
            #expect(remote.hasPrefix("127.0.0.1:"), "\(label)")
            #expect(response.body == Self.authinfo(user: user, principal: principal, backendRoles: roles, remote: remote), "\(label)")
            #expect(await trail.events(after: mark, expected: 0).isEmpty, "\(label): no audit event for a granted request")
        case .challenged:
            let response = try #require(response, "\(label): no response, \(probe.errorText ?? "")")
            #expect(response.status == 401, "\(label)")
            #expect(response.body == "Unauthorized", "\(label)")
            #expect(response.header("WWW-Authenticate") == #"Basic realm="Open Distro Security""#, "\(label)")
            let events = await trail.events(after: mark, expected: 1)
            #expect(AuditTrail.categories(events) == ["FAILED_LOGIN"], "\(label)")
            #expect(events.first?["audit_request_effective_user"]?.stringValue == "<NONE>", "\(label)")
            #expect(events.first?["audit_rest_request_path"]?.stringValue == Self.path, "\(label)")
        case .revoked:
            let response = try #require(response, "\(label): no response, \(probe.errorText ?? "")")
            #expect(response.status == 403, "\(label)")
            #expect(response.body == #"{"error":{"root_cause":[{"type":"s_s_l_peer_unverified_exception","reason":"Unable to validate certificate (CRL)"}],"type":"s_s_l_peer_unverified_exception","reason":"Unable to validate certificate (CRL)"},"status":403}"#, "\(label)")
            let events = await trail.events(after: mark, expected: 1)
            #expect(AuditTrail.categories(events) == ["SSL_EXCEPTION"], "\(label)")
            #expect(events.first?["audit_rest_request_path"]?.stringValue == Self.path, "\(label)")
            #expect(events.first?["audit_request_effective_user"] == nil, "\(label)")
            #expect(events.first?["audit_request_exception_stacktrace"]?.stringValue
                    == "javax.net.ssl.SSLPeerUnverifiedException: Unable to validate certificate (CRL)", "\(label)")
        case .refused(let alert, let reason):
            #expect(response == nil, "\(label): got \(String(describing: response))")
            #expect(probe.errorText?.contains(alert) == true, "\(label): \(probe.errorText ?? "no error")")
            let events = await trail.events(after: mark, expected: 1)
            #expect(AuditTrail.categories(events) == ["SSL_EXCEPTION"], "\(label)")
            #expect(events.first?["audit_request_remote_address"]?.stringValue == "127.0.0.1", "\(label)")
            #expect(events.first?["audit_rest_request_path"] == nil, "\(label)")
            let exception = events.first?["audit_request_exception_stacktrace"]?.stringValue ?? ""
            #expect(exception.contains(reason), "\(label): \(exception)")
        }
    }

    /// The `authinfo` body for a certificate user of the lab config: `own_index` (mapped to
    /// users `*`) is its only role, its private tenant its only tenant (reference §6.4).
    static func authinfo(user: String, principal: String, backendRoles: [String], remote: String) -> String {
        var body = JSONObject()
        body["user"] = .string("User [name=\(user), backend_roles=[\(backendRoles.joined(separator: ", "))], requestedTenant=null]")
        body["user_name"] = .string(user)
        body["user_requested_tenant"] = .null
        body["remote_address"] = .string(remote)
        body["backend_roles"] = .array(backendRoles.map(JSON.string))
        body["custom_attribute_names"] = []
        body["roles"] = ["own_index"]
        body["tenants"] = .object(JSONObject([(user, JSON.bool(true))]))
        body["principal"] = .string(principal)
        body["peer_certificates"] = "1"
        body["sso_logout_url"] = .null
        return JSON.object(body).serialized()
    }
}
