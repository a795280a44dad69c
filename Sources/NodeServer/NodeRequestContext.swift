import Hummingbird
import NIOCore

/// Per-request context: Hummingbird's core storage plus the connection's channel, through which
/// the TLS identity of the client is found (`PeerIdentityCache`).
public struct NodeRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Request bodies are read by the node itself against `http.max_content_length`.
    public var maxUploadSize: Int { .max }
}
