import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

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
    private let client: HTTPClient
    public let timeout: Duration

    public init(tls: ClientTLSOptions?, timeout: Duration = .seconds(30)) throws(LabClientError) {
        var configuration = HTTPClient.Configuration()
        if let tls { configuration.tlsConfiguration = try tls.makeConfiguration() }
        configuration.timeout = .init(connect: .seconds(5))
        configuration.decompression = .enabled(limit: .ratio(100))
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = timeout
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
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
            let bytes = try await response.body.collect(upTo: maxBodyBytes)
            return LabResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                               body: Array(bytes.readableBytesView))
        } catch {
            throw LabClientError.transport(Self.describe(error))
        }
    }

    /// Closes the connection pool; call once when done.
    public func shutdown() async throws {
        try await client.shutdown()
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
