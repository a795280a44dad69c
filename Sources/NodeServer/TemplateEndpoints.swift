import JSONValue
import SearchEngine

/// `/_template[/{name}]` (ES 7.10's `RestPutIndexTemplateAction`, `RestGetIndexTemplateAction`,
/// `RestDeleteIndexTemplateAction`) and `_cat/templates` over the engine's `IndexTemplate`s.
extension ElasticAPI {
    func template(_ name: String?, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        switch (request.method, name) {
        case ("GET", _):
            return respond(try engine.getTemplates(name))
        case ("HEAD", _):
            return NodeResponse(status: try engine.getTemplates(name).status, body: .empty)
        case ("PUT", let name?), ("POST", let name?):
            var order = 0
            if let text = request.parameters["order"] {
                guard let number = Int(text) else { throw .illegalArgument("Failed to parse int parameter [order] with value [\(text)]") }
                order = number
            }
            let template = try IndexTemplate(name: name, body: try requiredBody(request), order: order)
            return respond(try engine.putTemplate(template, create: request.flag("create")))
        case ("DELETE", let name?):
            return respond(try engine.deleteTemplate(name))
        default:
            throw noHandler(request)
        }
    }

    /// `GET /_cat/templates[/{name}]`: name, patterns as Java prints a list, order, version.
    func catTemplates(_ name: String?, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        let rows: [JSONObject] = try engine.templates(name).map { template in
            ["name": .string(template.name), "index_patterns": .string("[" + template.indexPatterns.joined(separator: ", ") + "]"),
             "order": .string(String(template.order)), "version": template.version.map { .string(String($0)) } ?? .null, "composed_of": ""]
        }
        return cat(rows, defaults: ["name", "index_patterns", "order", "version", "composed_of"], rightAligned: ["order", "version"], request)
    }
}
