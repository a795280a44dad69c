import Foundation
import LabClient

/// Where and how to connect: the node's base URL and the TLS material (admin certificate,
/// trusted CA, host-name checking). Both command-line styles build one.
public struct AdminTarget: Sendable {
    public var url: String
    public var tls: ClientTLSOptions

    public init(url: String, tls: ClientTLSOptions) {
        self.url = url
        self.tls = tls
    }

    /// PEM paths; `verifyHostname: false` keeps the chain check only (securityadmin `-nhnv`).
    public init(url: String, cacert: String?, cert: String?, key: String?, verifyHostname: Bool = true) {
        self.init(url: url, tls: ClientTLSOptions(certificateAuthorities: cacert.map { [$0] } ?? [], certificate: cert, key: key,
                                                  verification: verifyHostname ? .full : .certificate))
    }

    /// securityadmin's `-h/-p/-cacert/-cert/-key/-nhnv` (reference §8). `-nhnv` keeps the chain
    /// check and drops only the host-name check, like the original flag.
    public init(_ arguments: LegacyArguments) {
        let host = arguments.host.contains(":") ? "[\(arguments.host)]" : arguments.host
        self.init(url: "https://\(host):\(arguments.port)", cacert: arguments.cacert, cert: arguments.cert, key: arguments.key,
                  verifyHostname: !arguments.noHostnameVerification)
    }

    /// A connection; fails before any traffic when a PEM file is missing or mismatched.
    public func connection(timeout: Duration = .seconds(30)) throws(AdminError) -> NodeConnection {
        guard tls.certificate != nil, tls.key != nil else {
            throw .usage("the admin certificate is required: give -cert <pem> and -key <pkcs8 pem> (--cert/--key)")
        }
        return try NodeConnection(baseURL: url, tls: tls, timeout: timeout)
    }
}
