import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization
import X509

/// One HTTP response, fully read.
public struct LabResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }
}

/// An HTTPS client for the lab's node, built from PEM paths: what `search-node healthcheck`,
/// `security-admin` and `beats-shipper` use to talk to the node with their certificates.
public final class LabClient: Sendable {
    private let tls: ClientTLSOptions?
    /// Replaced once by `preflight` when a CA is trusted by fingerprint; otherwise fixed.
    private let client: Mutex<HTTPClient>
    public let timeout: Duration

    public init(tls: ClientTLSOptions?, timeout: Duration = .seconds(30)) throws(LabClientError) {
        self.tls = tls
        self.client = Mutex(try Self.makeClient(tls: tls, additionalRoots: []))
        self.timeout = timeout
    }

    private static func makeClient(tls: ClientTLSOptions?, additionalRoots: [[UInt8]]) throws(LabClientError) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        if let tls { configuration.tlsConfiguration = try tls.makeConfiguration(additionalRoots: additionalRoots) }
        configuration.timeout = .init(connect: .seconds(5))
        configuration.decompression = .enabled(limit: .ratio(100))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The checks Filebeat makes in its own verification callback, done once against `url`'s
    /// host before the first request (nil when the TLS options need none, see
    /// `ClientTLSOptions.needsPreflight`):
    /// - `verification_mode: strict` refuses a node certificate without SANs, with Go's message
    ///   (BoringSSL, like `full`, would fall back to the subject CN);
    /// - `ca_trusted_fingerprint`: a CA certificate in the presented chain with that SHA-256 is
    ///   added to the trusted roots from then on. A node that later presents a chain without
    ///   it is verified against the configured CAs alone, as in Filebeat.
    /// Call it before sending: a fingerprint match replaces the connection pool.
    public func preflight(url: String) async throws(LabClientError) -> Preflight? {
        guard let tls, tls.needsPreflight else { return nil }
        guard let components = URLComponents(string: url), let host = components.host else {
            throw LabClientError.configuration("not a URL: \(url)")
        }
        let port = components.port ?? (components.scheme == "http" ? 80 : 443)
        let chain = try await TLSHandshakeProbe.handshake(host: host, port: port, tls: tls)
        if tls.verification == .strict, let leaf = chain.certificates.first,
           (try? leaf.extensions.subjectAlternativeNames) == nil {
            throw LabClientError.transport("x509: certificate relies on legacy Common Name field, use SANs instead")
        }
        var result = Preflight(chain: chain, trustedByFingerprint: nil)
        if let wanted = tls.caTrustedFingerprint,
           let index = chain.sha256Fingerprints.firstIndex(of: wanted), Self.isCA(chain.certificates[index]) {
            result.trustedByFingerprint = chain.certificates[index]
            let replacement = try Self.makeClient(tls: tls, additionalRoots: [chain.derCertificates[index]])
            let old = client.withLock { current in
                defer { current = replacement }
                return current
            }
            try? await old.shutdown()
        }
        return result
    }

    /// What `preflight` found.
    public struct Preflight: Sendable {
        public var chain: PresentedChain
        /// The CA certificate trusted because of `ca_trusted_fingerprint`, if one matched.
        public var trustedByFingerprint: Certificate?
    }

    /// A CA certificate: basic constraints say so (any path length).
    static func isCA(_ certificate: Certificate) -> Bool {
        if case .isCertificateAuthority = try? certificate.extensions.basicConstraints { return true }
        return false
    }

    /// Sends one request and reads the whole response (bounded by `maxBodyBytes`).
    public func send(_ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
                     maxBodyBytes: Int = 256 * 1024 * 1024) async throws(LabClientError) -> LabResponse {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            if !request.headers.contains(name: "Content-Type") { request.headers.add(name: "Content-Type", value: "application/json") }
        }
        do {
            let response = try await client.withLock { $0 }.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
            let bytes = try await response.body.collect(upTo: maxBodyBytes)
            return LabResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                               body: Array(bytes.readableBytesView))
        } catch {
            throw LabClientError.transport(Self.describe(error))
        }
    }

    /// Closes the connection pool; call once when done.
    public func shutdown() async throws {
        try await client.withLock { $0 }.shutdown()
    }

    /// Turns transport errors into the one-line reasons users search for
    /// (`certificate verify failed`, `connection refused`).
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NIOSSLError: return "TLS handshake failed: \(error)"
        case let error as BoringSSLError: return "TLS handshake failed: \(error)"
        case let error as HTTPClientError where error == .connectTimeout: return "connection timed out"
        case let error as HTTPClientError where error == .deadlineExceeded: return "request timed out"
        default: return "\(error)"
        }
    }
}
