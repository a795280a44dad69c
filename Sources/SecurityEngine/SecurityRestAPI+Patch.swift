import JSONValue

/// PATCH with RFC 6902 JSON Patch on one entry or a whole type (reference §6.3b).
extension SecurityRestAPI {
    private static let flagKeys = ["reserved", "hidden", "static"]

    func patch(_ context: ResourceContext, name: String, _ request: SecurityAPIRequest) -> SecurityResponse {
        guard request.contentType?.lowercased().hasPrefix("application/json") == true else { return messages.patchNeedsJSON }
        guard let body = request.body, let operations = try? JSON(parsing: body) else {
            return messages.patchError("request body is not valid JSON")
        }
        if name.isEmpty { return patchCollection(context, operations) }
        guard let flags = context.flags(name) else { return messages.patchMissing(context.resource, name) }
        if let refused = writable(context, name, flags) { return refused }
        let original = context.stored[name] ?? .object(JSONObject())
        let patched: JSON
        do { patched = try JSONPatch.apply(operations, to: original) } catch { return messages.patchError(error.message) }
        var entries = context.stored
        switch checkEntry(context, name: name, original: original, patched: patched) {
        case .failure(let error): return error.response
        case .success(let entry): entries[name] = .object(entry)
        }
        return commit(context.type, entries, configuration: context.configuration, success: messages.updated(name))
    }

    private func patchCollection(_ context: ResourceContext, _ operations: JSON) -> SecurityResponse {
        let original = context.stored
        let patched: JSON
        do { patched = try JSONPatch.apply(operations, to: .object(original)) } catch { return messages.patchError(error.message) }
        guard case .object(let result) = patched else { return messages.patchError("the patched document is not an object") }
        var entries = JSONObject()
        for (name, value) in result {
            let before = original[name]
            if before == value { entries[name] = value; continue }
            if before != nil, let flags = context.flags(name), let refused = writable(context, name, flags) { return refused }
            switch checkEntry(context, name: name, original: before, patched: value) {
            case .failure(let error): return error.response
            case .success(let entry): entries[name] = .object(entry)
            }
        }
        for name in original.keys where result[name] == nil {
            if let flags = context.flags(name), let refused = writable(context, name, flags) { return refused }
        }
        return commit(context.type, entries, configuration: context.configuration, success: messages.resourceUpdated)
    }

    /// A changed or new entry: flags may only be changed by super-admins (409 otherwise), the
    /// rest goes through the PUT body validator and the endpoint's rewrites.
    private func checkEntry(_ context: ResourceContext, name: String, original: JSON?, patched: JSON) -> Result<JSONObject, ResponseError> {
        guard case .object(var entry) = patched else {
            return .failure(ResponseError(RequestBodyValidator.error("Could not parse content of request.")))
        }
        var flags = JSONObject()
        for key in SecurityRestAPI.flagKeys {
            let before = original?[key] ?? .bool(false)
            let after = entry.removeValue(forKey: key)
            if let after, after != before, !context.superAdmin { return .failure(ResponseError(messages.readOnlyProperty)) }
            if let after { flags[key] = after }
        }
        let schema = RequestBodyValidator.schema(context.endpoint, superAdmin: false, flavor: flavor)
        if case .failure(let error) = schema.validate(entry, flavor: flavor) { return .failure(error) }
        if let refused = prepare(context, name: name, entry: &entry, previous: original) { return .failure(ResponseError(refused)) }
        for (key, value) in flags where key != "static" { entry[key] = value }
        return .success(entry)
    }
}
