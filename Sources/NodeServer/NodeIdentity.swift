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

    public init(flavor: Flavor, nodeName: String, clusterName: String, clusterUUID: String, overrideMainResponseVersion: Bool = false,
                hostAddress: String = "127.0.0.1") {
        self.flavor = flavor
        self.nodeName = nodeName
        self.clusterName = clusterName
        self.clusterUUID = clusterUUID
        self.overrideMainResponseVersion = overrideMainResponseVersion
        self.hostAddress = hostAddress
    }
}
