import Synchronization
import SecurityEngine

/// Who this node says it is in `GET /`, `_cluster/health` and audit events.
public struct NodeIdentity: Sendable {
    public var flavor: Flavor
    public var nodeName: String
    public var clusterName: String
    /// Kept in the data directory so it survives restarts, like Elasticsearch's cluster UUID.
    public var clusterUUID: String
    public var overrideMainResponseVersion: Bool
    /// The address `_cat/nodes` shows (`PublishAddress`).
    public var hostAddress: String
    /// Kept in the data directory like the cluster UUID: the key of this node in `_nodes`.
    public var nodeID: String
    /// `network.host` as configured: the HTTP layer's bind address.
    public var bindHost: String
    /// The HTTP port clients reach this node on (`_nodes` publishes it for sniffing clients).
    public let httpPort: BoundPort
    /// `http.max_content_length` in bytes.
    public var maxContentLength: Int
    /// `path.data`: the directory `_nodes` settings and `fs` stats describe.
    public var dataPath: String

    public init(flavor: Flavor, nodeName: String, clusterName: String, clusterUUID: String, overrideMainResponseVersion: Bool = false,
                hostAddress: String = "127.0.0.1", nodeID: String = "", bindHost: String = "127.0.0.1", httpPort: Int = 9200,
                maxContentLength: Int = 100 * 1024 * 1024, dataPath: String = "") {
        self.flavor = flavor
        self.nodeName = nodeName
        self.clusterName = clusterName
        self.clusterUUID = clusterUUID
        self.overrideMainResponseVersion = overrideMainResponseVersion
        self.hostAddress = hostAddress
        self.nodeID = nodeID
        self.bindHost = bindHost
        self.httpPort = BoundPort(httpPort)
        self.maxContentLength = maxContentLength
        self.dataPath = dataPath
    }
}

/// A port known for certain only once the server has bound it: `http.port: 0` (tests, several
/// nodes on one machine) binds a free one, and `_nodes` must publish the real one.
public final class BoundPort: Sendable {
    private let port: Atomic<Int>
    init(_ port: Int) { self.port = Atomic(port) }
    public var value: Int { port.load(ordering: .relaxed) }
    func bound(_ port: Int) { self.port.store(port, ordering: .relaxed) }
}
