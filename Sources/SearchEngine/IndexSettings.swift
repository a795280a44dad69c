import Foundation
import GRDB
import JSONValue

/// `GET` and `PUT /{index}/_settings` (ES 7.10 `RestGetSettingsAction`, `RestUpdateSettingsAction`).
///
/// A single node stores `number_of_shards` and `number_of_replicas`; only the replica count is
/// dynamic, and lowering it to 0 is how a one-node lab turns `yellow` into `green`.
/// `refresh_interval` is accepted and has no effect: a search refreshes before it reads
/// (`Refresh`), so every acknowledged write is searchable at once, which is what any interval
/// converges to. Other settings are refused with ES's messages, so
/// nothing is silently ignored.
extension SearchEngine {
    /// Settings of each resolved index: `{"<index>":{"settings":{"index":{...}}}}`; with
    /// `flat` the keys are dotted (`index.number_of_replicas`), and `names` (comma-separated,
    /// wildcards allowed) keeps only the matching settings.
    public func getSettings(_ expression: String, names: String? = nil, flat: Bool = false) throws(ElasticsearchError) -> EngineResponse {
        let catalog = catalog.snapshot
        let patterns = names?.split(separator: ",").map(String.init)
        let body = JSONObject(try resolveIndices(expression).compactMap { name -> (String, JSON)? in
            guard let index = catalog[name] else { return nil }
            let settings = index.flatSettings.filter { key, _ in patterns?.contains { IndexName.matches(key, pattern: $0) } ?? true }
            return (name, ["settings": flat ? .object(JSONObject(settings)) : Self.nested(settings)])
        })
        return EngineResponse(body: .object(body))
    }

    /// Applies a settings update to every resolved index, all or nothing.
    public func updateSettings(_ expression: String, body: JSON) throws(ElasticsearchError) -> EngineResponse {
        if body.isNull { throw ElasticsearchError(status: 400, type: "parse_exception", reason: "request body is required") }
        var settings: [(String, JSON)] = []
        try Self.flatten(body["settings"]?.objectValue != nil ? body["settings"]! : body, prefix: "", into: &settings)
        if settings.isEmpty { throw .actionValidation(["no settings to update"]) }
        var replicas: Int?
        let names = try resolveIndices(expression)
        for (key, value) in settings {
            let name = key.hasPrefix("index.") ? key : "index." + key
            switch name {
            case "index.number_of_replicas":
                replicas = try Self.count(value, setting: "index.number_of_replicas", minimum: 0)
            case "index.refresh_interval":
                guard let text = value.stringValue ?? value.intValue.map(String.init), TimeValue.milliseconds(text) != nil else {
                    throw .illegalArgument("failed to parse setting [index.refresh_interval] with value [\(value.stringValue ?? value.serialized())] as a time value: unit is missing or unrecognized")
                }
            case "index.number_of_shards", "index.uuid", "index.creation_date", "index.version.created", "index.provided_name":
                let catalog = catalog.snapshot
                let described = names.compactMap { catalog[$0].map { "\($0.name)/\($0.uuid)" } }.joined(separator: ", ")
                throw .illegalArgument("Can't update non dynamic settings [[\(name)]] for open indices [[\(described)]]")
            default:
                throw .illegalArgument("unknown setting [\(name)] please check that any required plugins are installed, or check the breaking changes documentation for removed settings")
            }
        }
        if let replicas {
            try write { db, catalog in
                for name in names {
                    guard var index = catalog[name] else { continue }
                    index.numberOfReplicas = replicas
                    try db.execute(sql: "UPDATE indices SET replicas = ? WHERE id = ?", arguments: [replicas, index.id])
                    catalog[name] = index
                }
            }
        }
        return EngineResponse(body: ["acknowledged": true])
    }

    /// `{"index":{"a":1}}` and `{"index.a":1}` alike → `[("index.a", 1)]`.
    static func flatten(_ json: JSON, prefix: String, into settings: inout [(String, JSON)]) throws(ElasticsearchError) {
        guard let object = json.objectValue else {
            throw .parsing("Expected [START_OBJECT] but found [\(json.tokenName)]")
        }
        for (key, value) in object {
            if value.objectValue != nil {
                try flatten(value, prefix: prefix + key + ".", into: &settings)
            } else {
                settings.append((prefix + key, value))
            }
        }
    }

    /// Dotted keys back into nested objects, in order.
    static func nested(_ settings: [(String, JSON)]) -> JSON {
        var root: JSONObject = [:]
        for (key, value) in settings {
            root = insert(value, at: key.split(separator: ".").map(String.init)[...], into: root)
        }
        return .object(root)
    }

    private static func insert(_ value: JSON, at path: ArraySlice<String>, into object: JSONObject) -> JSONObject {
        var object = object
        guard let first = path.first else { return object }
        if path.count == 1 {
            object[first] = value
        } else {
            object[first] = .object(insert(value, at: path.dropFirst(), into: object[first]?.objectValue ?? [:]))
        }
        return object
    }
}
