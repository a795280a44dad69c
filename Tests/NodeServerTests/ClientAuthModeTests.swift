import Foundation
import LabTestSupport
import Testing
@testable import NodeServer

/// Each `clientauth_mode` against no certificate, a valid one, one from another CA, an expired
/// one and a revoked one (reference §1.3, §1.5): the handshake result or the HTTP status.
@Suite(.serialized) struct ClientAuthModeTests {
    enum Expected: Equatable {
        case status(Int)
        /// The handshake (or the first read after it, with TLS 1.3) fails with this alert text.
        case tlsFailure(String)
    }

    static let path = "/_opendistro/_security/authinfo"

    func check(_ mode: ClientAuthMode, _ cases: [(client: String?, expected: Expected)]) async throws {
        try await LabNode.with(adjust: { $0.settings.clientAuthMode = mode }) { lab in
            for (client, expected) in cases {
                let result = try await lab.curl("GET", Self.path, as: client)
                switch expected {
                case .status(let status):
                    #expect(result.exit == 0 && result.status == status, "\(mode) \(client ?? "no certificate"): \(result)")
                case .tlsFailure(let alert):
                    #expect(result.exit != 0 && result.body.contains(alert), "\(mode) \(client ?? "no certificate"): \(result)")
                }
            }
        }
    }

    @Test func noneNeverAsksSoCertificatesAreIgnored() async throws {
        try await check(.none, [(nil, .status(401)), ("CLIENT1", .status(401)), ("stranger", .status(401)),
                                ("expired", .status(401)), ("revoked", .status(401))])
    }

    @Test func optionalAcceptsNoCertificateButRefusesBadOnes() async throws {
        try await check(.optional, [(nil, .status(401)), ("CLIENT1", .status(200)), ("stranger", .tlsFailure("unknown ca")),
                                    ("expired", .tlsFailure("certificate expired")), ("revoked", .status(403))])
    }

    @Test func requireFailsTheHandshakeWithoutCertificate() async throws {
        try await check(.require, [(nil, .tlsFailure("certificate required")), ("CLIENT1", .status(200)),
                                   ("stranger", .tlsFailure("unknown ca")), ("expired", .tlsFailure("certificate expired")),
                                   ("revoked", .status(403))])
    }

    @Test func revokedCertificateGetsThePluginsCRLBody() async throws {
        try await LabNode.with { lab in
            let result = try await lab.curl("GET", "/", as: "revoked")
            #expect(result.status == 403)
            #expect(result.body == #"{"error":{"root_cause":[{"type":"s_s_l_peer_unverified_exception","reason":"Unable to validate certificate (CRL)"}],"type":"s_s_l_peer_unverified_exception","reason":"Unable to validate certificate (CRL)"},"status":403}"#)
        }
    }

    @Test func opensslSClientSeesTheRequestForACertificateOnlyWhenAsked() async throws {
        for (mode, asked) in [(ClientAuthMode.none, false), (.optional, true), (.require, true)] {
            try await LabNode.with(adjust: { $0.settings.clientAuthMode = mode }) { lab in
                let result = try await run("/bin/sh", ["-c", "echo | openssl s_client -connect 127.0.0.1:\(lab.port) -CAfile \(lab.cert("root-ca")) 2>&1"])
                #expect(result.output.contains("Acceptable client certificate CA names") == asked, "\(mode)")
                if asked { #expect(result.output.contains("CN = certlab root CA")) }
            }
        }
    }
}
