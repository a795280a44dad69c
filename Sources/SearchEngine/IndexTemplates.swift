import GRDB
import JSONValue

/// Storing, reading and applying legacy index templates (`IndexTemplate`), ES 7.10's
/// `MetadataIndexTemplateService` and the v1-template part of `MetadataCreateIndexService`.
///
/// When an index is created — by `PUT /{index}` or by the first write into it — every template
/// whose patterns match its name applies, in ascending `order` (ties by name): a later
/// template's settings replace earlier ones and its mappings are merged over theirs, object by
/// object; the request's own settings and mappings come last and win.
extension SearchEngine {
    /// `PUT /_template/{name}`; `create` (`?create=true`) refuses to replace one.
    public func putTemplate(_ template: IndexTemplate, create: Bool = false) throws(ElasticsearchError) -> EngineResponse {
        try write { db, _ in
            if create, try String.fetchOne(db, sql: "SELECT name FROM templates WHERE name = ?", arguments: [template.name]) != nil {
                throw ElasticsearchError.illegalArgument("index_template [\(template.name)] already exists")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO templates(name, body) VALUES (?, ?)", arguments: [template.name, template.json.serialized()])
        }
        return EngineResponse(body: ["acknowledged": true])
    }

    /// The templates a comma list of names or `*` patterns selects (all for nil), by name.
    public func templates(_ expression: String? = nil) throws(ElasticsearchError) -> [IndexTemplate] {
        let all = try read { db, _ in try Self.templates(db) }
        guard let expression else { return all }
        let names = expression.split(separator: ",").map(String.init)
        return all.filter { template in names.contains { IndexName.matches(template.name, pattern: $0) } }
    }

    /// `GET /_template[/{name}]`: 404 (with what was found, i.e. `{}`) when names were given and none matched.
    public func getTemplates(_ expression: String?) throws(ElasticsearchError) -> EngineResponse {
        let found = try templates(expression)
        let body = JSON.object(JSONObject(found.map { ($0.name, $0.json) }))
        return EngineResponse(status: found.isEmpty && expression != nil ? 404 : 200, body: body)
    }

    /// `DELETE /_template/{name}` (a name or a `*` pattern).
    public func deleteTemplate(_ name: String) throws(ElasticsearchError) -> EngineResponse {
        try write { db, _ in
            let doomed = try Self.templates(db).filter { IndexName.matches($0.name, pattern: name) }
            // `*` matches everything, nothing included (Regex.isMatchAllPattern): no 404 then.
            if doomed.isEmpty && name != "*" {
                throw ElasticsearchError(status: 404, type: "index_template_missing_exception", reason: "index_template [\(name)] missing")
            }
            for template in doomed { try db.execute(sql: "DELETE FROM templates WHERE name = ?", arguments: [template.name]) }
        }
        return EngineResponse(body: ["acknowledged": true])
    }

    static func templates(_ db: Database) throws -> [IndexTemplate] {
        try Row.fetchAll(db, sql: "SELECT name, body FROM templates ORDER BY name").map { row in
            try IndexTemplate(name: row[0], body: try JSON(parsing: row[1] as String))
        }
    }

    /// The create-index body `body` becomes once the templates matching `name` apply.
    static func applyingTemplates(_ db: Database, to name: String, body: JSON?) throws -> JSON? {
        let matching = try templates(db).filter { $0.matches(name) }.sorted { ($0.order, $0.name) < ($1.order, $1.name) }
        guard !matching.isEmpty else { return body }
        var settings: [(String, JSON)] = []
        var mappings: JSON = [:]
        func overlay(_ more: [(String, JSON)]) {
            for (key, value) in more {
                settings.removeAll { $0.0 == key }
                settings.append((key, value))
            }
        }
        for template in matching {
            overlay(template.settings)
            mappings = merged(mappings, over: template.mappings)
        }
        var object = body?.objectValue ?? [:]
        if let own = object["settings"] { overlay(try IndexTemplate.flatSettings(own)) }
        if let own = object["mappings"] { mappings = merged(mappings, over: own) }
        object["settings"] = .object(JSONObject(settings))
        object["mappings"] = mappings
        return .object(object)
    }

    /// `over` laid on `base`: objects merge key by key, anything else is replaced.
    static func merged(_ base: JSON, over: JSON) -> JSON {
        guard var result = base.objectValue, let top = over.objectValue else { return over }
        for (key, value) in top { result[key] = result[key].map { merged($0, over: value) } ?? value }
        return .object(result)
    }
}
