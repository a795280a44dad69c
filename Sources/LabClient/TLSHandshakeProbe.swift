import Crypto
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import X509

/// What one TLS handshake with the node showed: the negotiated version and the certificate
/// chain exactly as the node presented it (leaf first), before any trust decision.
public struct PresentedChain: Sendable {
    /// `TLSv1.2`, `TLSv1.3` — Filebeat's spelling in `test output`.
    public var tlsVersion: String
    public var certificates: [Certificate]
    /// The DER bytes of each certificate, in the same order (fingerprints are taken over them).
    public var derCertificates: [[UInt8]]

    /// Lower-case hex SHA-256 of each certificate's DER, the form of `ssl.ca_trusted_fingerprint`.
    public var sha256Fingerprints: [String] {
        derCertificates.map { SHA256.hash(data: $0).map { byte in String(format: "%02x", byte) }.joined() }
    }
}

/// A handshake of its own, outside the HTTP client's pool, for the checks Filebeat makes inside
/// its verification callback and AsyncHTTPClient offers no hook for: trusting a CA by
/// fingerprint (it must be taken from the presented chain), `strict`'s SAN-only host check, and
/// `test output`'s report of the TLS version and chain.
///
/// Chain verification is switched off for this one handshake (a custom callback accepts and
/// records the chain); nothing is sent over it. The HTTP client's own handshakes still verify
/// everything the verification mode asks for.
public enum TLSHandshakeProbe {
    public static func handshake(host: String, port: Int, tls: ClientTLSOptions,
                                 timeout: Duration = .seconds(5)) async throws(LabClientError) -> PresentedChain {
        var configuration = try tls.makeConfiguration()
        configuration.certificateVerification = .noHostnameVerification
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw LabClientError.configuration("\(error)")
        }
        let recorder = ChainRecorder()
        let serverName = isIPAddress(host) ? nil : host
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(Int64(timeout.components.seconds * 1000)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName) { certificates, promise in
                            recorder.certificates = certificates
                            promise.succeed(.certificateVerified)
                        }
                        try channel.pipeline.syncOperations.addHandlers([handler, recorder])
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            throw LabClientError.transport(LabClient.describe(error))
        }
        defer { channel.close(promise: nil) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await recorder.handshakeDone.futureResult.get() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw LabClientError.transport("TLS handshake timed out after \(timeout)")
                }
                try await group.next()
                group.cancelAll()
            }
            let version = try await channel.nioSSL_tlsVersion().get()
            let ders = try recorder.certificates.map { try $0.toDERBytes() }
            return PresentedChain(tlsVersion: version.map(Self.name) ?? "unknown",
                                  certificates: try ders.map { try Certificate(derEncoded: $0) }, derCertificates: ders)
        } catch let error as LabClientError {
            throw error
        } catch {
            throw LabClientError.transport(LabClient.describe(error))
        }
    }

    static func name(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv1: return "TLSv1.0"
        case .tlsv11: return "TLSv1.1"
        case .tlsv12: return "TLSv1.2"
        case .tlsv13: return "TLSv1.3"
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// Keeps the chain the verification callback saw and completes when the handshake ends
    /// (or the connection fails first). Lives on one channel's event loop.
    private final class ChainRecorder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var certificates: [NIOSSLCertificate] = []
        let handshakeDone = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        private var finished = false

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? TLSUserEvent, case .handshakeCompleted = event { finish(.success(())) }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            finish(.failure(error))
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            finish(.failure(LabClientError.transport("the node closed the connection during the TLS handshake")))
            context.fireChannelInactive()
        }

        private func finish(_ result: Result<Void, Error>) {
            guard !finished else { return }
            finished = true
            handshakeDone.completeWith(result)
        }
    }
}
