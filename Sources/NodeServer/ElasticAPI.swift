import JSONValue
import SearchEngine
import SecurityEngine

/// A body the security layer already parsed to check it item by item, with the positions it
/// refused: a refused bulk item or search fails alone, as in the plugin.
enum PreparedBody: Sendable {
    case bulk(BulkRequest, rejections: [Int: ElasticsearchError])
    case multiSearch(MultiSearchRequest, rejections: [Int: ElasticsearchError])
    /// `refused`: the security refusal of the destination writes, if any.
    case reindex(ReindexRequest, refused: ElasticsearchError?)
}

/// The Elasticsearch-compatible endpoints (ES 7.10 paths and bodies) mapped onto `SearchEngine`.
///
/// Authorization happens before this is called (`RequestPipeline`); `_bulk` and `_msearch`
/// arrive parsed with their per-item rejections (`PreparedBody`).
struct ElasticAPI: Sendable {
    let engine: SearchEngine
    let node: NodeIdentity

    /// Dispatches one request; throws the Elasticsearch error to render. `user` is the
    /// authenticated user's name (scrolls belong to the user that opened them).
    func handle(_ request: ElasticRequest, prepared: PreparedBody? = nil, user: String? = nil) throws(ElasticsearchError) -> NodeResponse {
        let s = request.segments
        let method = request.method
        let read = method == "GET" || method == "HEAD"
        let getOrPost = read || method == "POST"
        switch (s.count, s.first ?? "") {
        case (0, _) where read:
            return .json(RootInfo.body(flavor: node.flavor, nodeName: node.nodeName, clusterName: node.clusterName,
                                       clusterUUID: node.clusterUUID, overrideMainResponseVersion: node.overrideMainResponseVersion))
        case (2, "_cluster") where s[1] == "health" && read, (3, "_cluster") where s[1] == "health" && read:
            return try clusterHealth(request)
        case (2, "_cat") where s[1] == "indices" && read, (3, "_cat") where s[1] == "indices" && read:
            return try catIndices(s.count == 3 ? s[2] : "_all", request)
        case (2, "_cat") where s[1] == "health" && read:
            return catHealth(request)
        case (2, "_cat") where s[1] == "nodes" && read:
            return catNodes(request)
        case (2, "_cat") where s[1] == "plugins" && read:
            return catPlugins(request)
        case (1, "_cat") where read:
            return catIndex()
        case (1, "_template"), (2, "_template"):
            return try template(s.count == 2 ? s[1] : nil, request)
        case (2, "_cat") where s[1] == "templates" && read, (3, "_cat") where s[1] == "templates" && read:
            return try catTemplates(s.count == 3 ? s[2] : nil, request)
        case (2, "_cat") where s[1] == "shards" && read, (3, "_cat") where s[1] == "shards" && read:
            return try catShards(s.count == 3 ? s[2] : "_all", request)
        case (2, "_cat") where s[1] == "master" && read:
            return catMaster(request)
        case (2, "_cat") where s[1] == "allocation" && read:
            return try catAllocation(request)
        case (2, "_cat") where s[1] == "aliases" && read, (3, "_cat") where s[1] == "aliases" && read:
            // This node has no aliases (they cannot be created here): the table is empty.
            return cat([], defaults: ["alias", "index", "filter", "routing.index", "routing.search", "is_write_index"], rightAligned: [], request)
        case (2, "_cluster") where s[1] == "settings" && read:
            // No cluster-wide setting can be set on this node, so none is persistent or transient;
            // the defaults ES would list are the JVM node's, which this node does not have.
            if request.flag("include_defaults") { throw .illegalArgument("include_defaults is not supported by this node") }
            return .json(["persistent": [:], "transient": [:]])
        case (_, "_nodes") where method == "GET":
            return try nodes(s.dropFirst(), request)
        case (2, "_cat") where s[1] == "count" && read, (3, "_cat") where s[1] == "count" && read:
            return try catCount(s.count == 3 ? s[2] : "_all", request)
        case (1, "_reindex") where method == "POST":
            if case .reindex(let reindex, let refused) = prepared { return respond(try engine.reindex(reindex, refused: refused)) }
            return respond(try engine.reindex(try ReindexRequest(body: try optionalBody(request), parameters: request.parameters)))
        case (1, "_bulk") where method == "POST" || method == "PUT":
            return try executeBulk(prepared, request, defaultIndex: nil)
        case (1, "_msearch") where getOrPost:
            return try multiSearch(prepared, request, defaultIndex: nil)
        case (1, "_search") where getOrPost:
            return try search("_all", request, user: user)
        case (2, "_search") where s[1] == "scroll", (3, "_search") where s[1] == "scroll":
            return try scroll(request, pathId: s.count == 3 ? s[2] : nil, user: user)
        case (1, "_count") where getOrPost:
            return respond(try engine.count("_all", body: try optionalBody(request), parameters: request.parameters,
                                            ignoreUnavailable: request.flag("ignore_unavailable")))
        case (1, "_mget") where getOrPost:
            return respond(try engine.multiGet(try MultiGetRequest.parse(try requiredBody(request), defaultIndex: nil, sourceFilter: sourceFilter(request))))
        case (1, "_refresh") where getOrPost, (2, _) where s[1] == "_refresh" && getOrPost:
            // One refresh covers every index: held values are per node, not per index.
            let indices = try engine.resolveIndices(s.count == 2 ? s[0] : "_all", ignoreUnavailable: request.flag("ignore_unavailable"))
            try engine.refresh()
            return broadcast(indices)
        case (1, "_flush") where getOrPost, (2, _) where s[1] == "_flush" && getOrPost:
            // Every write is committed to the database when it is acknowledged: nothing is left to do.
            return broadcast(try engine.resolveIndices(s.count == 2 ? s[0] : "_all", ignoreUnavailable: request.flag("ignore_unavailable")))
        case (1, "_forcemerge") where method == "POST", (2, _) where s[1] == "_forcemerge" && method == "POST":
            let indices = try engine.resolveIndices(s.count == 2 ? s[0] : "_all", ignoreUnavailable: request.flag("ignore_unavailable"))
            try engine.forceMerge()
            return broadcast(indices)
        case (1, "_mapping") where method == "GET":
            return respond(try engine.getMapping("_all"))
        case (1, "_field_caps") where getOrPost:
            return try fieldCapabilities("_all", request)
        case (1, "_settings") where read || method == "PUT":
            return try settings("_all", names: nil, request)
        case (1, "_stats") where method == "GET", (2, _) where s[1] == "_stats" && method == "GET":
            return try stats(s.count == 2 ? s[0] : "_all")
        case (1, let index) where !index.hasPrefix("_") || method == "PUT" || index == "_all":
            // `PUT /_x` is index creation in ES too, refused as an invalid index name; `_all`
            // names every index for get, exists and delete.
            return try indexLevel(index, request)
        case (2, let index) where !index.hasPrefix("_") || index == "_all" && s[1] != "_doc":
            return try indexEndpoint(index, s[1], request, prepared: prepared, user: user)
        case (3, let index) where !index.hasPrefix("_"):
            return try documentEndpoint(index, s[1], s[2], request)
        default:
            throw noHandler(request)
        }
    }

    /// `PUT|DELETE|GET|HEAD /{index}`.
    private func indexLevel(_ index: String, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        switch request.method {
        case "PUT": return respond(try engine.createIndex(index, body: try optionalBody(request)))
        case "DELETE": return respond(try engine.deleteIndex(index, ignoreUnavailable: request.flag("ignore_unavailable")))
        case "HEAD": return NodeResponse(status: engine.indexExists(index) ? 200 : 404, body: .empty)
        case "GET": return respond(try engine.getIndex(index, ignoreUnavailable: request.flag("ignore_unavailable")))
        default: throw noHandler(request)
        }
    }

    /// `/{index}/_search`, `_count`, `_mapping`, `_mget`, `_bulk`, `POST _doc`.
    private func indexEndpoint(_ index: String, _ endpoint: String, _ request: ElasticRequest,
                               prepared: PreparedBody?, user: String?) throws(ElasticsearchError) -> NodeResponse {
        let getOrPost = request.method == "GET" || request.method == "POST"
        switch (request.method, endpoint) {
        case (_, "_search") where getOrPost:
            return try search(index, request, user: user)
        case (_, "_count") where getOrPost:
            return respond(try engine.count(index, body: try optionalBody(request), parameters: request.parameters,
                                            ignoreUnavailable: request.flag("ignore_unavailable")))
        case ("GET", "_mapping"):
            return respond(try engine.getMapping(index))
        case ("GET", "_settings"), ("HEAD", "_settings"), ("PUT", "_settings"):
            return try settings(index, names: nil, request)
        case ("PUT", "_mapping"), ("POST", "_mapping"):
            return respond(try engine.putMapping(index, body: try requiredBody(request)))
        case (_, "_mget") where getOrPost:
            return respond(try engine.multiGet(try MultiGetRequest.parse(try requiredBody(request), defaultIndex: index, sourceFilter: sourceFilter(request))))
        case ("POST", "_bulk"), ("PUT", "_bulk"):
            return try executeBulk(prepared, request, defaultIndex: index)
        case (_, "_msearch") where getOrPost:
            return try multiSearch(prepared, request, defaultIndex: index)
        case (_, "_field_caps") where getOrPost:
            return try fieldCapabilities(index, request)
        case ("POST", "_delete_by_query"):
            return respond(try engine.deleteByQuery(index, body: try optionalBody(request), parameters: request.parameters))
        case ("POST", "_update_by_query"):
            return respond(try engine.updateByQuery(index, body: try optionalBody(request), parameters: request.parameters))
        case ("POST", "_doc"):
            return try refreshing(request) { () throws(ElasticsearchError) in try engine.index(index, id: nil, source: request.body, opType: .index, condition: try writeCondition(request)) }
        default:
            throw noHandler(request)
        }
    }

    /// `/{index}/_doc/{id}`, `_create/{id}`, `_update/{id}`, `_source/{id}`.
    private func documentEndpoint(_ index: String, _ endpoint: String, _ id: String, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        switch (request.method, endpoint) {
        case ("PUT", "_doc"), ("POST", "_doc"):
            let opType: OpType = request.parameters["op_type"] == "create" ? .create : .index
            return try refreshing(request) { () throws(ElasticsearchError) in try engine.index(index, id: id, source: request.body, opType: opType, condition: try writeCondition(request)) }
        case ("PUT", "_create"), ("POST", "_create"):
            return try refreshing(request) { () throws(ElasticsearchError) in try engine.index(index, id: id, source: request.body, opType: .create, condition: nil) }
        case ("POST", "_update"):
            return try refreshing(request) { () throws(ElasticsearchError) in try engine.update(index, id: id, body: try requiredBody(request), condition: try writeCondition(request)) }
        case ("DELETE", "_doc"):
            return try refreshing(request) { () throws(ElasticsearchError) in try engine.delete(index, id: id, condition: try writeCondition(request)) }
        case ("GET", "_doc"):
            return respond(try engine.get(index, id: id, sourceFilter: sourceFilter(request)))
        case ("HEAD", "_doc"), ("HEAD", "_source"):
            return NodeResponse(status: engine.exists(index, id: id) ? 200 : 404, body: .empty)
        case ("GET", "_settings"), ("HEAD", "_settings"):
            return try settings(index, names: id, request)
        case ("GET", "_source"):
            let response = try engine.get(index, id: id, sourceFilter: sourceFilter(request))
            guard response.status == 200, let source = response.body["_source"] else {
                throw ElasticsearchError(status: 404, type: "resource_not_found_exception",
                                         reason: "Document not found [\(index)]/[_doc]/[\(id)]")
            }
            return .json(source)
        default:
            throw noHandler(request)
        }
    }

    private func search(_ expression: String, _ request: ElasticRequest, user: String?) throws(ElasticsearchError) -> NodeResponse {
        let searchRequest = try SearchRequest.parse(body: try optionalBody(request), parameters: request.parameters)
        if let keepAlive = request.parameters["scroll"] {
            return respond(try engine.openScroll(expression, searchRequest, keepAlive: keepAlive, owner: user,
                                                 ignoreUnavailable: request.flag("ignore_unavailable")))
        }
        return respond(try engine.search(expression, searchRequest, ignoreUnavailable: request.flag("ignore_unavailable")))
    }

    /// `fields` from the URL or, as ES 7 also reads it, from a `{"fields":[...]}` body.
    private func fieldCapabilities(_ index: String, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        var fields = request.parameters["fields"]
        if let body = try optionalBody(request) {
            guard let object = body.objectValue else { throw ElasticsearchError.parsing("Expected [START_OBJECT] but found [\(body.tokenName)]") }
            for (key, value) in object {
                switch (key, value) {
                case ("fields", .array(let names)) where names.allSatisfy({ $0.stringValue != nil }):
                    fields = names.compactMap(\.stringValue).joined(separator: ",")
                case ("fields", .string(let text)):
                    fields = text
                default:
                    throw ElasticsearchError.parsing("request does not support [\(key)]")
                }
            }
        }
        return respond(try engine.fieldCapabilities(index, fields: fields, ignoreUnavailable: request.flag("ignore_unavailable")))
    }

    /// `GET|PUT [/{index}]/_settings[/{name}]`.
    private func settings(_ index: String, names: String?, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        if request.method == "PUT" {
            return respond(try engine.updateSettings(index, body: try requiredBody(request)))
        }
        return respond(try engine.getSettings(index, names: names, flat: request.flag("flat_settings")))
    }

    private func executeBulk(_ prepared: PreparedBody?, _ request: ElasticRequest,
                             defaultIndex: String?) throws(ElasticsearchError) -> NodeResponse {
        try refreshing(request) { () throws(ElasticsearchError) in
            if case .bulk(let bulk, let rejections) = prepared { return try engine.bulk(bulk, rejections: rejections) }
            return try engine.bulk(try BulkRequest.parse(request.body, defaultIndex: defaultIndex))
        }
    }

    private func multiSearch(_ prepared: PreparedBody?, _ request: ElasticRequest,
                             defaultIndex: String?) throws(ElasticsearchError) -> NodeResponse {
        if case .multiSearch(let search, let rejections) = prepared {
            return respond(engine.multiSearch(search, rejections: rejections))
        }
        return respond(engine.multiSearch(try MultiSearchRequest.parse(request.body, defaultIndex: defaultIndex, parameters: request.parameters)))
    }

    /// `_cluster/health[/{index}]` as it stands now; `RequestPipeline` waits for the request's
    /// `HealthWait` conditions around it. `level` only shapes the response, as in ES 7.10:
    /// exactly `indices` or `shards` adds those sections, anything else is the cluster level.
    func clusterHealth(_ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        let level = request.parameters["level"].flatMap { SearchEngine.HealthLevel(rawValue: $0) } ?? .cluster
        let indices = request.segments.count == 3 ? request.segments[2] : nil
        return respond(engine.clusterHealth(clusterName: node.clusterName, indices: indices, level: level))
    }

    /// `_cat/indices`: the text table (`v` for headers, `h` to pick columns) or `format=json`;
    /// `health=green|yellow|red` keeps the indices of that health (`RestIndicesAction`).
    private func catIndices(_ expression: String, _ request: ElasticRequest) throws(ElasticsearchError) -> NodeResponse {
        var stats = try engine.indexStats(expression)
        if let health = request.parameters["health"] {
            guard ["green", "yellow", "red"].contains(health.lowercased()) else {
                throw .illegalArgument("unknown cluster health status [\(health)]")
            }
            stats.removeAll { $0.health != health.lowercased() }
        }
        let rows = stats.compactMap { $0.catJSON.objectValue }
        return cat(rows, defaults: ["health", "status", "index", "uuid", "pri", "rep", "docs.count", "docs.deleted", "store.size", "pri.store.size"],
                   rightAligned: ["pri", "rep", "docs.count", "docs.deleted", "store.size", "pri.store.size"], request)
    }

    /// The `_shards` of a broadcast action (refresh, flush, force merge): every copy an index
    /// asks for is counted, only the primaries on this node succeed, as ES reports it.
    private func broadcast(_ indices: [String]) -> NodeResponse {
        let metadata = indices.compactMap { engine.metadata(of: $0) }
        let total = metadata.map { $0.numberOfShards * (1 + $0.numberOfReplicas) }.reduce(0, +)
        let primaries = metadata.map(\.numberOfShards).reduce(0, +)
        return .json(["_shards": ["total": .int(Int64(total)), "successful": .int(Int64(primaries)), "failed": 0]])
    }

    /// `_stats` basics: document counts and store size per index and in total.
    private func stats(_ expression: String) throws(ElasticsearchError) -> NodeResponse {
        let stats = try engine.indexStats(expression)
        func block(_ docs: Int, _ bytes: Int) -> JSON {
            ["docs": ["count": .int(Int64(docs)), "deleted": 0], "store": ["size_in_bytes": .int(Int64(bytes)), "reserved_in_bytes": 0]]
        }
        let docs = stats.map(\.documentCount).reduce(0, +)
        let bytes = stats.map(\.storeSize).reduce(0, +)
        let shards = stats.map(\.primaries).reduce(0, +)
        var indices = JSONObject()
        for index in stats {
            indices[index.index] = ["uuid": .string(index.uuid), "primaries": block(index.documentCount, index.storeSize),
                                    "total": block(index.documentCount, index.storeSize)]
        }
        return .json(["_shards": ["total": .int(Int64(shards)), "successful": .int(Int64(shards)), "failed": 0],
                      "_all": ["primaries": block(docs, bytes), "total": block(docs, bytes)],
                      "indices": .object(indices)])
    }

    // MARK: - Helpers

    /// A write under its `?refresh=` policy, parsed first so that a bad value refuses the write.
    private func refreshing(_ request: ElasticRequest, _ write: () throws(ElasticsearchError) -> EngineResponse) throws(ElasticsearchError) -> NodeResponse {
        let policy = try RefreshPolicy(request.parameters["refresh"])
        return respond(try policy.apply(to: write(), engine: engine))
    }

    func respond(_ response: EngineResponse) -> NodeResponse {
        NodeResponse(status: response.status, body: .json(response.body))
    }

    func optionalBody(_ request: ElasticRequest) throws(ElasticsearchError) -> JSON? {
        if let source = request.parameters["source"], request.body.isEmpty {
            return try SearchEngine.parseBody(Array(source.utf8))
        }
        // Not a ternary: `JSON` is `ExpressibleByNilLiteral`, so `nil` there became `.null`.
        if request.body.isEmpty { return nil }
        return try SearchEngine.parseBody(request.body)
    }

    func requiredBody(_ request: ElasticRequest) throws(ElasticsearchError) -> JSON {
        guard let body = try optionalBody(request) else { throw ElasticsearchError.parsing("request body is required") }
        return body
    }

    private func sourceFilter(_ request: ElasticRequest) -> SourceFilter {
        SourceFilter(source: request.parameters["_source"],
                     includes: request.parameters["_source_includes"] ?? request.parameters["_source_include"],
                     excludes: request.parameters["_source_excludes"] ?? request.parameters["_source_exclude"])
    }

    /// `if_seq_no` + `if_primary_term`, both or neither (Elasticsearch's validation message).
    private func writeCondition(_ request: ElasticRequest) throws(ElasticsearchError) -> WriteCondition? {
        let seqNo = request.parameters["if_seq_no"]
        let term = request.parameters["if_primary_term"]
        switch (seqNo, term) {
        case (nil, nil): return nil
        case (let seqNo?, let term?):
            guard let seqNo = Int64(seqNo), let term = Int64(term) else {
                throw .illegalArgument("Failed to parse if_seq_no [\(seqNo)] or if_primary_term [\(term)] as a number")
            }
            return WriteCondition(ifSeqNo: seqNo, ifPrimaryTerm: term)
        default:
            throw ElasticsearchError(status: 400, type: "action_request_validation_exception",
                                     reason: "Validation Failed: 1: ifSeqNo is set, but primary term is [0];")
        }
    }

    /// Elasticsearch's answer for a path or method it has no handler for.
    func noHandler(_ request: ElasticRequest) -> ElasticsearchError {
        ElasticsearchError(status: 400, type: "illegal_argument_exception",
                           reason: "no handler found for uri [\(request.path)] and method [\(request.method)]")
    }
}
