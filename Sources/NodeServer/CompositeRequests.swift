import JSONValue
import SearchEngine
import SecurityEngine

/// The steps of `RequestPipeline` for requests that are more than one action: `_msearch` and
/// `_reindex`, whose child requests the plugin checks one by one under the caller's identity,
/// and `_cluster/health`, which may wait for its conditions before it answers.
extension RequestPipeline {
    /// `_cluster/health` once its `HealthWait` conditions hold, or at their timeout with
    /// `timed_out: true` and 408. Polls the (in-memory) catalog every 50 ms, holding no thread.
    func waitedHealth(_ request: ElasticRequest) async -> NodeResponse {
        do {
            guard let wait = try HealthWait.of(request) else { return try elastic.clusterHealth(request) }
            let deadline = ContinuousClock.now + wait.timeout
            while true {
                let response = try elastic.clusterHealth(request)
                let exists = !wait.indicesMustExist || (try? elastic.engine.resolveIndices(request.segments[2])) != nil
                guard case .json(let body) = response.body, var object = body.objectValue else { return response }
                if wait.isSatisfied(body, indicesExist: exists) { return response }
                if ContinuousClock.now >= deadline {
                    object["timed_out"] = true
                    return NodeResponse(status: 408, body: .json(.object(object)))
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        } catch {
            return render(error)
        }
    }

    /// `_reindex` as the reindex module runs it under the caller's identity: a refused search
    /// on the source fails the whole request (403); a refused write into the destination
    /// fails the documents of the first batch, as the module's bulk request would.
    func checkedReindex(_ incoming: Incoming, user: User) throws -> Result<PreparedBody, Refusal> {
        let reindex = try ReindexRequest(body: try elastic.optionalBody(incoming.request), parameters: incoming.request.parameters)
        let search = RestAction(actions: ["indices:data/read/search"], indices: reindex.sourceIndices)
        let decision = security.authorize(user, route: search, existingIndices: elastic.engine.indexNames)
        if let refusal = denied(decision, incoming, user: user, privilege: search.actions[0], indices: search.indices) {
            return .failure(Refusal(response: refusal))
        }
        let item = SecurityEngine.BulkItem(reindex.createOnly ? .create : .index, index: reindex.destination)
        let writes = security.authorizeBulk(user, items: [item])
        if let refusal = denied(writes.request, incoming, user: user, privilege: "indices:data/write/bulk", indices: [reindex.destination]) {
            return .failure(Refusal(response: refusal))
        }
        var refused: ElasticsearchError?
        if let response = writes.items[0].response {
            refused = Self.itemRefusal(response)
            audit.record(.missingPrivileges, incoming.facts, by: user, privilege: item.action, indices: [reindex.destination])
        }
        return .success(.reindex(reindex, refused: refused))
    }

    /// `_msearch`: each search is an `indices:data/read/search` on its own indices; a refused
    /// one answers 403 in its place and is audited like a refused request.
    func checkedMultiSearch(_ incoming: Incoming, user: User) throws -> PreparedBody {
        let request = incoming.request
        let search = try MultiSearchRequest.parse(request.body, defaultIndex: request.segments.count == 2 ? request.segments[0] : nil,
                                                  parameters: request.parameters)
        var rejections: [Int: ElasticsearchError] = [:]
        for (position, item) in search.items.enumerated() {
            let route = RestAction(actions: ["indices:data/read/search"], indices: item.indices.split(separator: ",").map(String.init))
            guard let response = security.authorize(user, route: route, existingIndices: elastic.engine.indexNames).response else { continue }
            rejections[position] = Self.itemRefusal(response)
            audit.record(.missingPrivileges, incoming.facts, by: user, privilege: route.actions[0], indices: route.indices)
        }
        return .multiSearch(search, rejections: rejections)
    }
}
