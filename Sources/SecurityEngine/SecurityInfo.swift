import JSONValue

/// authinfo, health, whoami, account and securityconfig bodies (reference §6.1, §6.4).
extension SecurityRestAPI {
    /// `{"message":null,"mode":"strict","status":"UP"}`; strict mode before initialisation → 503 DOWN.
    func health(_ request: SecurityAPIRequest) -> SecurityResponse {
        let mode = request.queryParameters["mode"] ?? "strict"
        if service.configuration == nil, mode == "strict" {
            return .json(503, ["message": "Not initialized", "mode": .string(mode), "status": "DOWN"])
        }
        return .json(200, ["message": nil, "mode": .string(mode), "status": "UP"])
    }

    /// OpenSearch-only whoami (no authentication; HTTPS needed).
    func whoami(_ request: SecurityAPIRequest) -> SecurityResponse {
        guard request.isTLS else { return .text(403, "No security data") }
        let isAdmin = service.isAdminPrincipal(request.principal)
        return .json(200, ["dn": request.principal.map(JSON.string) ?? JSON.null, "is_admin": .bool(isAdmin), "is_node_certificate_request": false])
    }

    func authinfo(_ request: SecurityAPIRequest, user: User) -> SecurityResponse {
        var body = JSONObject()
        body["user"] = .string(user.description)
        body["user_name"] = .string(user.name)
        body["user_requested_tenant"] = user.requestedTenant.map(JSON.string) ?? JSON.null
        body["remote_address"] = .string(request.remoteAddressWithPort)
        body.setStrings("backend_roles", user.backendRoles)
        body.setStrings("custom_attribute_names", user.attributes.keys.sorted())
        body.setStrings("roles", user.securityRoles)
        body["tenants"] = .object(service.tenants(for: user))
        body["principal"] = request.principal.map(JSON.string) ?? JSON.null
        body["peer_certificates"] = .string(String(request.peerCertificateCount))
        body["sso_logout_url"] = JSON.null
        if request.queryParameters["verbose"] == "true" {
            body["size_of_user"] = .string(String(user.description.utf8.count))
            body["size_of_custom_attributes"] = .string(String(user.attributes.count))
            body["size_of_backendroles"] = .string(String(user.backendRoles.count))
        }
        return .json(200, .object(body))
    }

    /// `GET|PUT /api/account` (reference §6.3, §6.4).
    func account(_ request: SecurityAPIRequest, user: User, configuration: SecurityConfiguration) -> SecurityResponse {
        let entry = configuration.internalUsers[user.name]
        switch request.method {
        case "GET":
            var body = JSONObject()
            body["user_name"] = .string(user.name)
            body["is_reserved"] = .bool(entry?.flags.reserved ?? false)
            body["is_hidden"] = .bool(entry?.flags.hidden ?? false)
            body["is_internal_user"] = .bool(entry != nil && user.isInternal)
            body["user_requested_tenant"] = user.requestedTenant.map(JSON.string) ?? JSON.null
            body.setStrings("backend_roles", user.backendRoles)
            body.setStrings("custom_attribute_names", user.attributes.keys.sorted())
            body["tenants"] = .object(service.tenants(for: user))
            body.setStrings("roles", user.securityRoles)
            return .json(200, .object(body))
        case "PUT":
            let schema = RequestBodyValidator.schema(.account, superAdmin: false, flavor: flavor)
            var body: JSONObject
            switch schema.validate(request.body, flavor: flavor) {
            case .failure(let error): return error.response
            case .success(let object): body = object
            }
            guard let entry, user.isInternal else { return .status(404, "Could not find user.") }
            guard let current = body["current_password"]?.stringValue,
                  PasswordVerifier.bcryptMatches(current, hash: entry.hash) else {
                return .status(400, "Could not validate your current password.")
            }
            var stored = configuration.entries[.internalusers]?[user.name]?.objectValue ?? JSONObject()
            if let password = body.removeValue(forKey: "password")?.stringValue {
                if let refused = checkPassword(password, user: user.name) { return refused }
                stored["hash"] = .string(PasswordVerifier.hash(password))
            } else if let hash = body["hash"]?.stringValue {
                stored["hash"] = .string(hash)
            } else {
                return messages.userNeedsPassword
            }
            var entries = configuration.entries[.internalusers] ?? JSONObject()
            entries[user.name] = .object(stored)
            return commit(.internalusers, entries, configuration: configuration, success: messages.updated(user.name))
        default:
            return messages.methodNotSupported(request.method)
        }
    }

    /// `securityconfig`: GET always; PUT `/config` and PATCH only with
    /// `unsupported.restapi.allow_securityconfig_modification` (reference §6.1).
    func securityConfig(_ request: SecurityAPIRequest, name: String, configuration: SecurityConfiguration, superAdmin: Bool) -> SecurityResponse {
        let stored = configuration.entries[.config] ?? JSONObject()
        switch request.method {
        case "GET":
            return .json(200, .object(stored))
        case "PUT" where service.settings.allowSecurityConfigModification:
            guard name == "config" else { return messages.configNameMustBeConfig }
            let schema = RequestBodyValidator.schema(.config, superAdmin: superAdmin, flavor: flavor)
            switch schema.validate(request.body, flavor: flavor) {
            case .failure(let error): return error.response
            case .success(let body):
                return commit(.config, ["config": .object(body)], configuration: configuration, success: messages.updated("config"))
            }
        case "PATCH" where service.settings.allowSecurityConfigModification:
            guard request.contentType?.lowercased().hasPrefix("application/json") == true else { return messages.patchNeedsJSON }
            guard let body = request.body, let operations = try? JSON(parsing: body) else { return messages.patchError("request body is not valid JSON") }
            do {
                let patched = try JSONPatch.apply(operations, to: .object(stored))
                guard let object = patched.objectValue else { return messages.patchError("the patched document is not an object") }
                return commit(.config, object, configuration: configuration, success: messages.resourceUpdated)
            } catch {
                return messages.patchError(error.message)
            }
        default:
            return messages.methodNotSupported(request.method)
        }
    }
}
