/// What authentication needs to know about one REST request (reference §2.3): the TLS principal
/// derived once per connection by the node (reference §1.6), headers, and the TCP peer.
public struct AuthenticationRequest: Sendable {
    public var method: String
    public var path: String
    /// The principal string of the verified client certificate, `nil` without one.
    public var principal: String?
    /// Number of certificates the client presented (authinfo's `peer_certificates`).
    public var peerCertificateCount: Int
    /// Header names as received; lookups are case-insensitive.
    public var headers: [(name: String, value: String)]
    /// The TCP peer address (IP string, no port).
    public var remoteAddress: String
    public var queryParameters: [String: String]

    public init(method: String = "GET", path: String = "/", principal: String? = nil, peerCertificateCount: Int = 0,
                headers: [(name: String, value: String)] = [], remoteAddress: String = "127.0.0.1", queryParameters: [String: String] = [:]) {
        self.method = method
        self.path = path
        self.principal = principal
        self.peerCertificateCount = principal == nil ? peerCertificateCount : max(peerCertificateCount, 1)
        self.headers = headers
        self.remoteAddress = remoteAddress
        self.queryParameters = queryParameters
    }

    /// All values of a header, case-insensitively.
    public func headerValues(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { HeaderName.equal($0.name, wanted) }.map(\.value)
    }

    public func header(_ name: String) -> String? { headerValues(name).first }
}
