import Foundation
import LabTestSupport
import Hummingbird
import NIOCore
import Testing
@testable import NodeServer

/// The HTTPS layer on its own: each `clientauth_mode` against curl with no certificate, a valid
/// one, and one from another CA (reference §1.3), and the principal the node derives.
@Suite(.serialized) struct TLSLayerTests {
    static let certificates = Result { try OpenSSLLabCertificates() }

    func withServer(mode: ClientAuthMode, _ body: (Int) async throws -> Void) async throws {
        let certs = try Self.certificates.get()
        let settings = HTTPTLSSettings(certificateChainPath: certs.path("node.pem"), privateKeyPath: certs.path("node-key.pem"),
                                       trustedCAsPath: certs.path("root-ca.pem"), clientAuthMode: mode)
        let factory = HTTPTLSContextFactory(settingsPrefix: "opendistro_security.ssl.http.")
        let (material, key) = try factory.loadMaterial(settings)
        let holder = TLSContextHolder(try factory.makeContext(settings, material: material, key: key))
        let identities = PeerIdentityCache()
        let router = Router(context: NodeRequestContext.self)
        router.get("principal") { _, context in
            try await identities.identity(of: context.channel).principal ?? "<none>"
        }
        let port = AsyncStream<Int>.makeStream()
        let app = Application(router: router, server: .reloadableTLS(holder),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { port.continuation.yield($0.localAddress!.port!) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = port.stream.makeAsyncIterator()
            let bound = await iterator.next()!
            try await body(bound)
            group.cancelAll()
        }
    }

    func curl(_ port: Int, client: String?) async throws -> (status: Int32, output: String) {
        let certs = try Self.certificates.get()
        var arguments = ["-sS", "--cacert", certs.path("root-ca.pem"), "https://localhost:\(port)/principal"]
        if let client { arguments += ["--cert", certs.path("\(client).pem"), "--key", certs.path("\(client)-key.pem")] }
        return try await run("curl", arguments)
    }

    @Test func optionalModeAcceptsNoCertificateAndReadsThePrincipal() async throws {
        try await withServer(mode: .optional) { port in
            #expect(try await curl(port, client: nil).output == "<none>")
            #expect(try await curl(port, client: "client1").output == "CN=CLIENT1,OU=client,O=client,L=test,C=de")
            let stranger = try await curl(port, client: "stranger")
            #expect(stranger.status == 56 || stranger.status == 35)
            #expect(stranger.output.contains("unknown ca"))
        }
    }

    @Test func requireModeFailsTheHandshakeWithoutCertificate() async throws {
        try await withServer(mode: .require) { port in
            let anonymous = try await curl(port, client: nil)
            #expect(anonymous.status != 0)
            #expect(anonymous.output.contains("certificate required"))
            #expect(try await curl(port, client: "client1").output == "CN=CLIENT1,OU=client,O=client,L=test,C=de")
        }
    }

    @Test func noneModeNeverAsks() async throws {
        try await withServer(mode: .none) { port in
            let result = try await curl(port, client: "client1")
            #expect(result.output == "<none>")
        }
    }
}
