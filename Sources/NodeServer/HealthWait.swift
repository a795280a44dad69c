import JSONValue
import SearchEngine

/// What a `_cluster/health` request waits for before it answers (ES 7.10's
/// `TransportClusterHealthAction`): `wait_for_status`, `wait_for_nodes`,
/// `wait_for_active_shards`, and — implicitly — that every index named in the path exists.
/// `wait_for_no_relocating_shards`, `wait_for_no_initializing_shards` and `wait_for_events`
/// always hold on this node (nothing relocates, initializes or queues).
///
/// The health of a one-node cluster changes only when indices are created, deleted or get
/// other replica settings, so a wait that does not hold at once holds when a client makes one
/// of those changes, or ends at `timeout` (default 30s) with `timed_out: true` and status 408,
/// as Elasticsearch answers. The waiting is done by `RequestPipeline` without holding a thread.
struct HealthWait {
    var status: Int?
    var nodes: (compare: (Int, Int) -> Bool, count: Int)?
    /// Active shards wanted; -1 for `all`.
    var activeShards: Int?
    var indicesMustExist = false
    var timeout: Duration = .seconds(30)

    static let statusRank = ["red": 0, "yellow": 1, "green": 2]

    /// Whether a health request might wait (a path index or a `wait_for_*` parameter), which
    /// keeps it off the event loop's inline path.
    static func mayWait(_ request: ElasticRequest) -> Bool {
        request.segments.first == "_cluster" && (request.segments.count == 3 || request.parameters.keys.contains { $0.hasPrefix("wait_for_") })
    }

    /// The request's conditions, or nil when it has none (it is answered at once, inline).
    static func of(_ request: ElasticRequest) throws(ElasticsearchError) -> HealthWait? {
        let parameters = request.parameters
        var wait = HealthWait()
        var waits = false
        if let text = parameters["wait_for_status"] {
            guard let rank = statusRank[text.lowercased()] else {
                throw .illegalArgument("No enum constant org.elasticsearch.cluster.health.ClusterHealthStatus.\(text.uppercased())")
            }
            wait.status = rank
            waits = true
        }
        if let text = parameters["wait_for_nodes"], !text.isEmpty {
            wait.nodes = try nodeCondition(text)
            waits = true
        }
        if let text = parameters["wait_for_active_shards"] {
            // ActiveShardCount.parseString: `all` or a number; 0 waits for nothing.
            guard let count = text == "all" ? -1 : Int(text) else { throw .illegalArgument("cannot parse ActiveShardCount[\(text)]") }
            if text != "all" && count < 0 { throw .illegalArgument("shard count cannot be a negative value") }
            if count != 0 {
                wait.activeShards = count
                waits = true
            }
        }
        if request.segments.count == 3 {
            wait.indicesMustExist = true
            waits = true
        }
        guard waits else { return nil }
        if let text = parameters["timeout"] {
            guard let millis = TimeValue.milliseconds(text) else {
                throw .illegalArgument("failed to parse setting [timeout] with value [\(text)] as a time value: unit is missing or unrecognized")
            }
            wait.timeout = .milliseconds(millis)
        }
        return wait
    }

    /// Whether the health `body` (and the existence of the named indices) meets every condition.
    func isSatisfied(_ body: JSON, indicesExist: Bool) -> Bool {
        if indicesMustExist && !indicesExist { return false }
        if let status, (Self.statusRank[body["status"]?.stringValue ?? "red"] ?? 0) < status { return false }
        if let nodes, !nodes.compare(body["number_of_nodes"]?.intValue.map(Int.init) ?? 0, nodes.count) { return false }
        if let activeShards {
            let active = Int(body["active_shards"]?.intValue ?? 0)
            let wanted = activeShards == -1 ? active + Int(body["unassigned_shards"]?.intValue ?? 0) : activeShards
            if active < wanted { return false }
        }
        return true
    }

    /// `N`, `>=N`, `<=N`, `>N`, `<N`, `ge(N)`, `le(N)`, `gt(N)`, `lt(N)`.
    private static func nodeCondition(_ text: String) throws(ElasticsearchError) -> ((Int, Int) -> Bool, Int) {
        let forms: [(prefix: String, suffix: String, compare: (Int, Int) -> Bool)] = [
            (">=", "", (>=)), ("<=", "", (<=)), (">", "", (>)), ("<", "", (<)),
            ("ge(", ")", (>=)), ("le(", ")", (<=)), ("gt(", ")", (>)), ("lt(", ")", (<)),
        ]
        for form in forms where text.hasPrefix(form.prefix) && text.hasSuffix(form.suffix) {
            let number = text.dropFirst(form.prefix.count).dropLast(form.suffix.count)
            guard let count = Int(number) else { break }
            return (form.compare, count)
        }
        guard let count = Int(text) else { throw .illegalArgument("failed to parse wait_for_nodes [\(text)]") }
        return ((==), count)
    }
}
