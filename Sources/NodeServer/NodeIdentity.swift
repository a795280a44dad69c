import SecurityEngine

/// Who this node says it is in `GET /`, `_cluster/health` and audit events.
public struct NodeIdentity: Sendable {
    public var flavor: Flavor
    public var nodeName: String
    public var clusterName: String
    /// Kept in the data directory so it survives restarts, like Elasticsearch's cluster UUID.
    public var clusterUUID: String
    public var overrideMainResponseVersion: Bool

    public init(flavor: Flavor, nodeName: String, clusterName: String, clusterUUID: String, overrideMainResponseVersion: Bool = false) {
        self.flavor = flavor
        self.nodeName = nodeName
        self.clusterName = clusterName
        self.clusterUUID = clusterUUID
        self.overrideMainResponseVersion = overrideMainResponseVersion
    }
}
