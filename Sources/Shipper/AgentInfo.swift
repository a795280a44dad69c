import Foundation

/// Who is shipping: the `agent.*`, `host.name` and `ecs.version` fields of every event
/// (reference §3.6). The version is the Filebeat release whose wire behaviour this shipper
/// follows — 7.12.1, the last Beats release OpenSearch lists as compatible (reference §3.5) —
/// so index patterns like `filebeat-%{[agent.version]}-*` and dashboards keep working.
public struct AgentInfo: Sendable, Equatable {
    public static let filebeatVersion = "7.12.1"
    public static let ecsVersion = "1.8.0"

    /// `agent.name`: the `name` setting, else the host name.
    public var name: String
    /// `host.name`.
    public var hostname: String
    public var version: String

    public init(name: String? = nil, hostname: String = ProcessInfo.processInfo.hostName, version: String = AgentInfo.filebeatVersion) {
        let shortHost = hostname.split(separator: ".").first.map(String.init) ?? hostname
        self.hostname = shortHost
        self.name = name ?? shortHost
        self.version = version
    }

    /// Sent as `User-Agent`, in Beats' form so node-side logs show what connected.
    public var userAgent: String { "Filebeat/\(version) (certlab beats-shipper; linux)" }
}
