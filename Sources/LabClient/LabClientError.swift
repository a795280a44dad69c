/// Why a request to the node did not produce a response.
public enum LabClientError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Bad client settings: a missing file, a key in the wrong format, a mismatch.
    case configuration(String)
    /// No connection, a TLS failure, a timeout: the reason as the transport reported it.
    case transport(String)

    public var description: String {
        switch self {
        case .configuration(let reason): return "client configuration: \(reason)"
        case .transport(let reason): return reason
        }
    }
}
