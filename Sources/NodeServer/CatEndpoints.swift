import Foundation
import JSONValue
import SearchEngine

/// `_cat/health` and `_cat/count` (ES 7.10 `RestHealthAction`, `RestCountAction` of `_cat`), and
/// the rendering every `_cat` endpoint shares.
extension ElasticAPI {
    /// `format=json`: an array of objects with the chosen columns (values as strings, as ES
    /// sends them); otherwise the text table, `v` for a header line, `h` to choose columns.
    /// Byte sizes come as `.int` byte counts and are printed as ES's `RestTable` prints a
    /// `ByteSizeValue`: `5.2kb` by default, or a whole number of the unit `bytes=` names (an
    /// unknown unit prints the default, as RestTable falls back to it).
    func cat(_ rows: [JSONObject], defaults: [String], rightAligned: Set<String>, _ request: ElasticRequest) -> NodeResponse {
        let columns = request.parameters["h"].map { $0.split(separator: ",").map(String.init) } ?? defaults
        let unit = request.parameters["bytes"].flatMap { Self.byteUnits[$0] }
        let rows = rows.map { row in
            JSONObject(row.map { key, value in
                guard case .int(let bytes) = value else { return (key, value) }
                return (key, .string(unit.map { String(bytes / $0) } ?? IndexStats.humanSize(Int(bytes))))
            })
        }
        if request.parameters["format"] == "json" {
            return .json(.array(rows.map { row in .object(JSONObject(columns.map { ($0, row[$0] ?? .null) })) }))
        }
        let table = CatTable(columns: columns, rightAligned: rightAligned)
        return NodeResponse(body: .text(table.render(rows.map { row in columns.map { row[$0]?.stringValue ?? "" } }, headers: request.flag("v"))))
    }

    static let byteUnits: [String: Int64] = ["b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "g": 1 << 30, "gb": 1 << 30,
                                             "t": 1 << 40, "tb": 1 << 40, "p": 1 << 50, "pb": 1 << 50]

    /// `GET /_cat/health`: the cluster health on one line (`ts=false` drops the time columns).
    func catHealth(_ request: ElasticRequest) -> NodeResponse {
        let health = engine.clusterHealth(clusterName: node.clusterName).body
        let percent = health["active_shards_percent_as_number"]?.doubleValue ?? 100
        var row = Self.timeColumns()
        for (column, key) in [("cluster", "cluster_name"), ("status", "status"), ("node.total", "number_of_nodes"), ("node.data", "number_of_data_nodes"),
                              ("shards", "active_shards"), ("pri", "active_primary_shards"), ("relo", "relocating_shards"),
                              ("init", "initializing_shards"), ("unassign", "unassigned_shards"), ("pending_tasks", "number_of_pending_tasks")] {
            row[column] = .string(health[key]?.stringValue ?? health[key].map { $0.serialized() } ?? "")
        }
        row["max_task_wait_time"] = "-"
        row["active_shards_percent"] = .string(String(format: "%.1f%%", percent))
        let columns = ["cluster", "status", "node.total", "node.data", "shards", "pri", "relo", "init", "unassign",
                       "pending_tasks", "max_task_wait_time", "active_shards_percent"]
        return cat([row], defaults: Self.withTime(columns, request), rightAligned: Set(columns.dropFirst(2)), request)
    }

    /// `GET /_cat/count[/{index}]`: the number of documents.
    func catCount(_ expression: String, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        let count = try engine.count(expression, body: nil).body["count"]?.intValue ?? 0
        var row = Self.timeColumns()
        row["count"] = .string(String(count))
        return cat([row], defaults: Self.withTime(["count"], request), rightAligned: [], request)
    }

    /// `epoch` (seconds) and `timestamp` (`HH:mm:ss`, UTC), first in time-stamped `_cat` tables.
    private static func timeColumns() -> JSONObject {
        let now = Date()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.hour, .minute, .second], from: now)
        return ["epoch": .string(String(Int64(now.timeIntervalSince1970))),
                "timestamp": .string(String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0))]
    }

    private static func withTime(_ columns: [String], _ request: ElasticRequest) -> [String] {
        request.parameters["ts"] == "false" ? columns : ["epoch", "timestamp"] + columns
    }
}
