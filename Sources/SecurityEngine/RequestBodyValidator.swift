import JSONValue

/// Body validation of the REST API (reference §6.3, `AbstractConfigurationValidator`): allowed
/// keys with their datatypes, mandatory keys and "one of" keys, reported in the plugin's
/// `{"status":"error","reason":...}` shape.
struct RequestBodyValidator {
    enum Kind { case string, array, object, boolean }

    var allowed: [(String, Kind)]
    var mandatory: [String] = []
    var oneOf: [String] = []

    /// Schema per endpoint (reference §6.3 "Allowed body keys per resource"). Super-admins may
    /// also send `reserved` (and on OpenSearch `hidden`).
    static func schema(_ endpoint: SecurityAPIEndpoint, superAdmin: Bool, flavor: Flavor) -> RequestBodyValidator {
        var schema: RequestBodyValidator
        switch endpoint {
        case .roles:
            schema = RequestBodyValidator(allowed: [("cluster_permissions", .array), ("index_permissions", .array),
                                                    ("tenant_permissions", .array), ("description", .string)])
        case .rolesMapping:
            schema = RequestBodyValidator(allowed: [("backend_roles", .array), ("and_backend_roles", .array), ("hosts", .array),
                                                    ("users", .array), ("description", .string)],
                                          oneOf: ["backend_roles", "and_backend_roles", "hosts", "users"])
        case .internalUsers:
            schema = RequestBodyValidator(allowed: [("hash", .string), ("password", .string), ("backend_roles", .array), ("attributes", .object),
                                                    ("description", .string), ("opendistro_security_roles", .array)])
        case .actionGroups:
            schema = RequestBodyValidator(allowed: [("allowed_actions", .array), ("description", .string), ("type", .string)],
                                          mandatory: ["allowed_actions"])
        case .tenants:
            schema = RequestBodyValidator(allowed: [("description", .string)])
        case .config, .cache, .audit:
            schema = RequestBodyValidator(allowed: [("dynamic", .object)])
        case .account:
            schema = RequestBodyValidator(allowed: [("current_password", .string), ("password", .string), ("hash", .string)],
                                          mandatory: ["current_password"])
        }
        if superAdmin, endpoint != .account, endpoint != .config {
            schema.allowed.append(("reserved", .boolean))
            if flavor == .openSearch { schema.allowed.append(("hidden", .boolean)) }
        }
        return schema
    }

    /// Parses and validates a body; returns the object or the 400 response.
    func validate(_ body: [UInt8]?, flavor: Flavor) -> Result<JSONObject, ResponseError> {
        guard let body, !body.isEmpty else { return .failure(ResponseError(RequestBodyValidator.error("Request body required for this action."))) }
        guard let parsed = try? JSON(parsing: body), case .object(let object) = parsed else {
            return .failure(ResponseError(RequestBodyValidator.error("Could not parse content of request.")))
        }
        return validate(object, flavor: flavor).map { object }
    }

    func validate(_ object: JSONObject, flavor: Flavor) -> Result<Void, ResponseError> {
        let allowedNames = allowed.map(\.0)
        let invalid = object.keys.filter { !allowedNames.contains($0) }
        let missingMandatory = mandatory.filter { object[$0] == nil }
        let missingOneOf = !oneOf.isEmpty && !oneOf.contains { object[$0] != nil } ? oneOf : []
        if !invalid.isEmpty || !missingMandatory.isEmpty || !missingOneOf.isEmpty {
            var body = RequestBodyValidator.errorObject("Invalid configuration")
            RequestBodyValidator.addBlock(&body, "invalid_keys", invalid)
            RequestBodyValidator.addBlock(&body, "missing_mandatory_keys", missingMandatory)
            // ODFE feeds the missing *mandatory* keys into this block (reference §6.3 quirk).
            RequestBodyValidator.addBlock(&body, "specify_one_of", flavor == .openDistro ? missingMandatory : missingOneOf)
            return .failure(ResponseError(.json(400, .object(body))))
        }
        for (key, kind) in allowed {
            guard let value = object[key], !value.isNull else { continue }
            let expected: String?
            switch (kind, value) {
            case (.string, .string), (.array, .array), (.object, .object), (.boolean, .bool): expected = nil
            case (.string, _): expected = "String expected"
            case (.array, _): expected = "Array expected"
            case (.object, _): expected = "Object expected"
            case (.boolean, _): expected = "Boolean expected"
            }
            if let expected {
                var body = RequestBodyValidator.errorObject("Wrong datatype")
                body[key] = .string(expected)
                return .failure(ResponseError(.json(400, .object(body))))
            }
        }
        return .success(())
    }

    static func errorObject(_ reason: String) -> JSONObject {
        ["status": "error", "reason": .string(reason)]
    }

    static func error(_ reason: String) -> SecurityResponse { .json(400, .object(errorObject(reason))) }

    private static func addBlock(_ body: inout JSONObject, _ name: String, _ keys: [String]) {
        guard !keys.isEmpty else { return }
        body[name] = ["keys": .string(javaHashSetOrder(keys).joined(separator: ","))]
    }

    /// Iteration order of a `java.util.HashSet<String>` holding `keys` (inserted in order): by
    /// bucket `(h ^ h>>>16) & (capacity-1)` of `String.hashCode`, insertion order within a
    /// bucket, capacity the smallest power of two ≥ 16 keeping the load factor ≤ 0.75.
    static func javaHashSetOrder(_ keys: [String]) -> [String] {
        var unique: [String] = []
        for key in keys where !unique.contains(key) { unique.append(key) }
        var capacity = 16
        while Double(unique.count) > Double(capacity) * 0.75 { capacity *= 2 }
        func bucket(_ text: String) -> Int {
            var hash: Int32 = 0
            for unit in text.utf16 { hash = hash &* 31 &+ Int32(unit) }
            let spread = UInt32(bitPattern: hash) ^ (UInt32(bitPattern: hash) >> 16)
            return Int(spread & UInt32(capacity - 1))
        }
        return unique.enumerated().sorted { (bucket($0.element), $0.offset) < (bucket($1.element), $1.offset) }.map(\.element)
    }
}

/// A ready response carried through `Result`.
struct ResponseError: Error {
    let response: SecurityResponse
    init(_ response: SecurityResponse) { self.response = response }
}
