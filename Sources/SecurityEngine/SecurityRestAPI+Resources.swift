import Foundation
import JSONValue

/// GET, PUT and DELETE on the named-entry types (reference §6.1, §6.3).
extension SecurityRestAPI {
    func get(_ context: ResourceContext, name: String) -> SecurityResponse {
        if name.isEmpty {
            var all = JSONObject()
            for entryName in context.names where context.superAdmin || context.flags(entryName)?.hidden != true {
                all[entryName] = context.outputJSON(entryName)
            }
            return .json(200, .object(all))
        }
        guard let flags = context.flags(name) else { return messages.getMissing(context.resource, name) }
        if flags.hidden, !context.superAdmin { return messages.hidden(name) }
        return .json(200, [name: context.outputJSON(name)!])
    }

    func put(_ context: ResourceContext, name: String, _ request: SecurityAPIRequest) -> SecurityResponse {
        guard !name.isEmpty else { return messages.noName(context.resource) }
        let schema = RequestBodyValidator.schema(context.endpoint, superAdmin: context.superAdmin, flavor: flavor)
        var body: JSONObject
        switch schema.validate(request.body, flavor: flavor) {
        case .failure(let error): return error.response
        case .success(let object): body = object
        }
        let existing = context.flags(name)
        if let existing, let refused = writable(context, name, existing) { return refused }
        if let refused = prepare(context, name: name, entry: &body, previous: context.stored[name]) { return refused }
        var entries = context.stored
        entries[name] = .object(body)
        return commit(context.type, entries, configuration: context.configuration,
                      success: existing == nil ? messages.created(name) : messages.updated(name))
    }

    func delete(_ context: ResourceContext, name: String) -> SecurityResponse {
        guard !name.isEmpty else { return messages.noName(context.resource) }
        guard let flags = context.flags(name) else { return messages.deleteMissing(context.resource, name) }
        if let refused = writable(context, name, flags) { return refused }
        var entries = context.stored
        entries.removeValue(forKey: name)
        return commit(context.type, entries, configuration: context.configuration, success: messages.deleted(name))
    }

    /// Hidden entries are invisible and reserved ones read-only for non-super-admins; static
    /// entries are read-only for everybody (reference §3, §6.3).
    func writable(_ context: ResourceContext, _ name: String, _ flags: EntryFlags) -> SecurityResponse? {
        if flags.hidden, !context.superAdmin { return messages.hidden(name) }
        if flags.isStatic || (flags.reserved && !context.superAdmin) { return messages.protected(name, flags) }
        return nil
    }

    /// Endpoint-specific checks and rewrites of an entry about to be stored: password hashing
    /// and the role-existence rules (reference §6.3).
    func prepare(_ context: ResourceContext, name: String, entry: inout JSONObject, previous: JSON?) -> SecurityResponse? {
        switch context.endpoint {
        case .internalUsers:
            if let password = entry.removeValue(forKey: "password")?.stringValue {
                if let refused = checkPassword(password, user: name) { return refused }
                entry["hash"] = .string(PasswordVerifier.hash(password))
            } else if entry["hash"] == nil {
                guard let previousHash = previous?["hash"] else { return messages.userNeedsPassword }
                entry["hash"] = previousHash
            }
            for role in entry["opendistro_security_roles"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                if let refused = roleAvailable(context, role) { return refused }
            }
        case .rolesMapping:
            if let refused = roleAvailable(context, name) { return refused }
        case .actionGroups where flavor == .openSearch:
            if let type = entry["type"]?.stringValue, type != "cluster", type != "index" {
                return .status(400, "Invalid action group type: \(type). Supported types are: cluster, index.")
            }
            if entry["allowed_actions"]?.arrayValue?.contains(.string(name)) == true {
                return .status(400, "\(name) cannot be an allowed_action of itself")
            }
            if context.configuration.roles[name] != nil {
                return .status(400, "\(name) is an existing role. A action group cannot be named with an existing role name.")
            }
        default:
            break
        }
        return nil
    }

    private func roleAvailable(_ context: ResourceContext, _ role: String) -> SecurityResponse? {
        guard let found = context.configuration.roles[role], !(found.flags.hidden && !context.superAdmin) else {
            return messages.roleUnavailable(role)
        }
        return nil
    }

    /// `restapi.password_validation_regex` (ODFE, reference §6.3): the whole password must
    /// match, and must differ from the user name (case-insensitively) when a regex is set.
    func checkPassword(_ password: String, user: String) -> SecurityResponse? {
        guard let pattern = service.settings.passwordValidationRegex else { return nil }
        let message = service.settings.passwordValidationErrorMessage
        guard let regex = try? NSRegularExpression(pattern: "^(" + pattern + ")$"),
              regex.firstMatch(in: password, range: NSRange(password.startIndex..., in: password)) != nil,
              password.lowercased() != user.lowercased()
        else { return RequestBodyValidator.error(message) }
        return nil
    }
}

extension ResourceContext {
    /// Entry names in output order (statics first, as loaded).
    var names: [String] {
        switch type {
        case .internalusers: return configuration.internalUsers.names
        case .roles: return configuration.roles.names
        case .rolesmapping: return configuration.roleMappings.names
        case .actiongroups: return configuration.actionGroups.names
        case .tenants: return configuration.tenants.names
        default: return []
        }
    }

    func flags(_ name: String) -> EntryFlags? {
        switch type {
        case .internalusers: return configuration.internalUsers[name]?.flags
        case .roles: return configuration.roles[name]?.flags
        case .rolesmapping: return configuration.roleMappings[name]?.flags
        case .actiongroups: return configuration.actionGroups[name]?.flags
        case .tenants: return configuration.tenants[name]?.flags
        default: return nil
        }
    }

    /// GET rendering: the model's JSON; internal users' hashes blanked (reference §6.3).
    func outputJSON(_ name: String) -> JSON? {
        switch type {
        case .internalusers: return configuration.internalUsers[name]?.json(hashVisible: false)
        case .roles: return configuration.roles[name]?.json()
        case .rolesmapping: return configuration.roleMappings[name]?.json()
        case .actiongroups: return configuration.actionGroups[name]?.json()
        case .tenants: return configuration.tenants[name]?.json()
        default: return nil
        }
    }
}
