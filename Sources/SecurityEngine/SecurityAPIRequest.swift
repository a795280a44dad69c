/// One request to the security plugin's own REST endpoints (reference §6), as the node hands it
/// over: method, path, query, body and whether TLS/client certificate were present.
public struct SecurityAPIRequest: Sendable {
    public var method: String
    public var path: String
    public var queryParameters: [String: String]
    public var body: [UInt8]?
    public var contentType: String?
    /// False for plain HTTP (reference §6.2 "No ssl info found in request.").
    public var isTLS: Bool
    public var principal: String?
    public var peerCertificateCount: Int
    /// `ip:port` of the caller for authinfo's `remote_address`.
    public var remoteAddressWithPort: String

    public init(method: String, path: String, queryParameters: [String: String] = [:], body: [UInt8]? = nil,
                contentType: String? = "application/json", isTLS: Bool = true, principal: String? = nil,
                peerCertificateCount: Int = 0, remoteAddressWithPort: String = "127.0.0.1:0") {
        self.method = method
        self.path = path
        self.queryParameters = queryParameters
        self.body = body
        self.contentType = contentType
        self.isTLS = isTLS
        self.principal = principal
        self.peerCertificateCount = principal == nil ? peerCertificateCount : max(peerCertificateCount, 1)
        self.remoteAddressWithPort = remoteAddressWithPort
    }
}
