import Foundation
import JSONValue

/// `GET|POST /{index}/_field_caps?fields=...` (ES 7.10 `RestFieldCapabilitiesAction`): per field
/// name and type, whether it can be searched and aggregated, and in which indices it has that
/// type when the indices disagree. Tools that build index patterns (dashboards, Grafana) read it.
extension SearchEngine {
    /// ES's metadata fields as `fields=*` lists them: (name, searchable, aggregatable).
    static let metadataFields: [(String, Bool, Bool)] = [
        ("_id", true, true), ("_index", true, true), ("_type", true, true), ("_source", false, false),
        ("_seq_no", true, true), ("_version", false, true), ("_field_names", true, false),
        ("_ignored", true, false), ("_routing", true, false),
    ]

    /// `fields`: comma-separated names or wildcard patterns (required, as in ES).
    public func fieldCapabilities(_ expression: String, fields: String?, ignoreUnavailable: Bool = false) throws(ElasticsearchError) -> EngineResponse {
        let patterns = (fields ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !patterns.isEmpty else { throw .actionValidation(["specified fields can't be null or empty"]) }
        let names = try resolveIndices(expression, ignoreUnavailable: ignoreUnavailable)
        let catalog = catalog.snapshot
        func wanted(_ path: String) -> Bool { patterns.contains { IndexName.matches(path, pattern: $0) } }
        // field → type → (searchable, aggregatable, indices)
        var found: [String: [String: (Bool, Bool, [String])]] = [:]
        for name in names {
            guard let index = catalog[name] else { continue }
            for (path, searchable, aggregatable) in Self.metadataFields where wanted(path) {
                found[path, default: [:]][path, default: (searchable, aggregatable, [])].2.append(name)
            }
            for path in index.objectPaths where wanted(path) && index.fields[path] == nil {
                found[path, default: [:]]["object", default: (false, false, [])].2.append(name)
            }
            for field in index.fields.values where wanted(field.path) {
                let type = field.type.rawValue
                let searchable = field.type != .object
                let aggregatable = field.type != .object && field.type != .text
                found[field.path, default: [:]][type, default: (searchable, aggregatable, [])].2.append(name)
            }
        }
        var body: JSONObject = ["indices": .array(names.filter { catalog[$0] != nil }.map { .string($0) })]
        var fieldsObject: JSONObject = [:]
        for path in found.keys.sorted() {
            let types = found[path]!
            var entry: JSONObject = [:]
            for type in types.keys.sorted() {
                let (searchable, aggregatable, indices) = types[type]!
                var capability: JSONObject = ["type": .string(type), "searchable": .bool(searchable), "aggregatable": .bool(aggregatable)]
                // ES names the indices only when the field's type differs between them.
                if types.count > 1 { capability["indices"] = .array(indices.map { .string($0) }) }
                entry[type] = .object(capability)
            }
            fieldsObject[path] = .object(entry)
        }
        body["fields"] = .object(fieldsObject)
        return EngineResponse(body: .object(body))
    }
}
