import JSONValue
import SearchEngine

/// `?refresh=` on index, create, update, delete and `_bulk` (ES 7.10 `WriteRequest.RefreshPolicy`):
/// `false` (the default) leaves the write to the next refresh; `true` or an empty value refreshes
/// at once and says so (`"forced_refresh": true` after `result`, on each successful bulk item);
/// `wait_for` answers once the write is visible, which a refresh here makes it at once, with
/// nothing added. Anything else is refused before the write, with ES's message.
///
/// Every policy ends in the same visibility here, since a search refreshes before it reads
/// (`SearchEngine.refresh`); the policies differ in the work done and in what the answer says.
enum RefreshPolicy {
    case none, immediate, waitUntil

    init(_ value: String?) throws(ElasticsearchError) {
        switch value {
        case nil, "false": self = .none
        case "", "true": self = .immediate
        case "wait_for": self = .waitUntil
        case let other?: throw .illegalArgument("Unknown value for refresh: [\(other)].")
        }
    }

    /// After the write: refreshes for `true` and `wait_for`, and marks what `true` forced.
    func apply(to response: EngineResponse, engine: SearchEngine) throws(ElasticsearchError) -> EngineResponse {
        guard self != .none, (200..<300).contains(response.status) else { return response }
        try engine.refresh()
        guard self == .immediate, var body = response.body.objectValue else { return response }
        if let items = body["items"]?.arrayValue {
            body["items"] = .array(items.map { item in
                guard let (operation, result) = item.objectValue?.first, let inner = result.objectValue else { return item }
                return [operation: .object(Self.forced(inner))]
            })
        } else {
            body = Self.forced(body)
        }
        return EngineResponse(status: response.status, body: .object(body))
    }

    /// `forced_refresh` right after `result`, where ES's `DocWriteResponse` writes it; failed
    /// bulk items have no `result`, and a `noop` update never reaches the shard that refreshes.
    private static func forced(_ object: JSONObject) -> JSONObject {
        guard let result = object["result"], result != "noop" else { return object }
        var members: [(String, JSON)] = []
        for (key, value) in object {
            members.append((key, value))
            if key == "result" { members.append(("forced_refresh", true)) }
        }
        return JSONObject(distinctMembers: members)
    }
}
