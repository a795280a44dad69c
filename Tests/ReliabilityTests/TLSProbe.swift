import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// One raw TLS connection to the node, driven byte by byte.
///
/// curl cannot send what these tests need: a certificate whose key is not the one that signs
/// the handshake, a request with both `Content-Length` and `Transfer-Encoding`, headers dribbled
/// one byte at a time, or 500 connections held open at once. Everything received is kept;
/// every wait is bounded by a timeout.
final class TLSProbe: Sendable {
    /// What the client presents: a chain (leaf first) and how the handshake is signed.
    struct Identity: Sendable {
        var chain: [NIOSSLCertificate]
        var key: NIOSSLPrivateKey

        /// `NAME.pem` (leaf plus any chain) and `NAME-key.pem` as cert-issuer/openssl write them;
        /// `leafOnly` drops the chain (a client that "forgets" its intermediate).
        init(certificate path: String, key keyPath: String, leafOnly: Bool = false) throws {
            let chain = try NIOSSLCertificate.fromPEMFile(path)
            self.chain = leafOnly ? Array(chain.prefix(1)) : chain
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        }

        /// `certificate`'s chain, but the handshake is signed with an unrelated P-256 key.
        init(certificate path: String, signingWith foreignKey: P256.Signing.PrivateKey) throws {
            chain = try NIOSSLCertificate.fromPEMFile(path)
            key = NIOSSLPrivateKey(customPrivateKey: ForeignKey(raw: Array(foreignKey.rawRepresentation)))
        }
    }

    /// An HTTP/1.1 response as read off the wire.
    struct Response: Sendable, Equatable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        static func == (lhs: Response, rhs: Response) -> Bool {
            lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.elementsEqual(rhs.headers) { $0 == $1 }
        }
    }

    let channel: any Channel
    private let state: State

    private init(channel: any Channel, state: State) {
        self.channel = channel
        self.state = state
    }

    /// Connects to 127.0.0.1:`port`, verifying the node against `trustRoot` (a PEM file).
    static func connect(port: Int, trustRoot: String, identity: Identity? = nil) async throws -> TLSProbe {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(trustRoot)
        configuration.certificateVerification = .fullVerification
        if let identity {
            configuration.certificateChain = identity.chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(identity.key)
        }
        let context = try NIOSSLContext(configuration: configuration)
        let state = State()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(context: context, serverHostname: "localhost")
                    try channel.pipeline.syncOperations.addHandlers([tls, Collector(state: state)])
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return TLSProbe(channel: channel, state: state)
    }

    /// Connects without TLS at all (plaintext on the TLS port, or a client that never handshakes).
    static func connectPlain(port: Int) async throws -> TLSProbe {
        let state = State()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(state: state)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return TLSProbe(channel: channel, state: state)
    }

    /// Writes `bytes`; a write on a connection the node has already refused or closed is
    /// recorded as the connection's error rather than thrown.
    func send(_ bytes: [UInt8]) async {
        do {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
        } catch {
            state.fail(error)
        }
    }

    func send(_ text: String) async { await send(Array(text.utf8)) }

    /// Sends a complete request (`Host` added) and waits for its response.
    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [],
                 timeout: Duration = .seconds(30)) async -> Response? {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || ["POST", "PUT"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        await send(Array((head + "\r\n").utf8) + body)
        return await response(timeout: timeout)
    }

    /// The first complete response received, waiting at most `timeout`.
    func response(timeout: Duration = .seconds(30)) async -> Response? {
        var parsed: Response?
        _ = await eventually(within: timeout) {
            parsed = Self.parse(state.bytes, closed: state.isClosed)
            return parsed != nil || state.isClosed
        }
        return parsed ?? Self.parse(state.bytes, closed: true)
    }

    /// The responses to pipelined requests with these methods, in order: nil entries for those
    /// not complete within `timeout`. A `HEAD` response has headers only, whatever its length says.
    func responses(to methods: [String], timeout: Duration = .seconds(30)) async -> [Response?] {
        var parsed: [Response] = []
        _ = await eventually(within: timeout) {
            parsed = Self.parse(state.bytes, methods: methods)
            return parsed.count == methods.count || state.isClosed
        }
        return methods.indices.map { $0 < parsed.count ? parsed[$0] : nil }
    }

    private static func parse(_ bytes: [UInt8], methods: [String]) -> [Response] {
        var responses: [Response] = []
        var rest = bytes[...]
        for method in methods {
            guard let (response, used) = parseOne(Array(rest), closed: false, bodiless: method == "HEAD") else { break }
            responses.append(response)
            rest = rest.dropFirst(used)
        }
        return responses
    }

    /// Waits until the node closes the connection; true when it did within `timeout`.
    func waitForClose(timeout: Duration) async -> Bool {
        await eventually(within: timeout) { state.isClosed }
    }

    var isClosed: Bool { state.isClosed }
    /// The first error the connection saw (a TLS alert from the node, a reset, ...), as text.
    var errorText: String? { state.error.map { "\($0)" } }
    var receivedByteCount: Int { state.bytes.count }
    var receivedText: String { String(decoding: state.bytes, as: UTF8.self) }

    func close() async {
        try? await channel.close()
    }

    /// Parses one response from `bytes`: status line, headers, and a body of `Content-Length`
    /// bytes (or everything up to the close when there is none). nil while incomplete.
    static func parse(_ bytes: [UInt8], closed: Bool) -> Response? {
        parseOne(bytes, closed: closed, bodiless: false)?.response
    }

    /// One response and the number of bytes it took.
    private static func parseOne(_ bytes: [UInt8], closed: Bool, bodiless: Bool) -> (response: Response, used: Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let bodyStart = end + 4
        // A HEAD answer and an interim 1xx (`100 Continue`) have no body whatever the headers say.
        if bodiless || (100..<200).contains(status) { return (Response(status: status, headers: headers, body: ""), bodyStart) }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) }
        if let length {
            guard bytes.count - bodyStart >= length else { return nil }
            let body = String(decoding: bytes[bodyStart..<bodyStart + length], as: UTF8.self)
            return (Response(status: status, headers: headers, body: body), bodyStart + length)
        }
        guard closed else { return nil }
        return (Response(status: status, headers: headers, body: String(decoding: bytes[bodyStart...], as: UTF8.self)), bytes.count)
    }

    /// What the connection has seen so far, shared between the event loop and the test.
    private final class State: Sendable {
        private struct Fields {
            var bytes: [UInt8] = []
            var closed = false
            var error: (any Error)?
        }

        private let box = NIOLockedValueBox(Fields())
        var bytes: [UInt8] { box.withLockedValue { $0.bytes } }
        var isClosed: Bool { box.withLockedValue { $0.closed } }
        var error: (any Error)? { box.withLockedValue { $0.error } }
        func append(_ bytes: [UInt8]) { box.withLockedValue { $0.bytes += bytes } }
        func markClosed() { box.withLockedValue { $0.closed = true } }
        func fail(_ error: any Error) { box.withLockedValue { if $0.error == nil { $0.error = error } } }
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let state: State

        init(state: State) { self.state = state }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            state.append(Array(buffer.readableBytesView))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            state.fail(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.markClosed()
            context.fireChannelInactive()
        }
    }
}

/// Signs the TLS handshake with a P-256 key that does not belong to the presented certificate
/// (the "key/cert mismatch" client). BoringSSL refuses to load such a pair as an ordinary key,
/// so the signature is produced here.
private struct ForeignKey: NIOSSLCustomPrivateKey, Hashable {
    let raw: [UInt8]

    var signatureAlgorithms: [SignatureAlgorithm] { [.ecdsaSecp256R1Sha256] }

    func sign(channel: any Channel, algorithm: SignatureAlgorithm, data: ByteBuffer) -> EventLoopFuture<ByteBuffer> {
        channel.eventLoop.makeCompletedFuture {
            let key = try P256.Signing.PrivateKey(rawRepresentation: raw)
            let signature = try key.signature(for: Data(data.readableBytesView))
            return ByteBuffer(bytes: signature.derRepresentation)
        }
    }

    func decrypt(channel: any Channel, data: ByteBuffer) -> EventLoopFuture<ByteBuffer> {
        channel.eventLoop.makeFailedFuture(NIOSSLError.failedToLoadPrivateKey)
    }
}
