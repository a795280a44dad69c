/// The REST API's texts per flavor (reference §6.3). `.openDistro` = ODFE & OS-1.x,
/// `.openSearch` = the refactored OS-2.x API.
struct ApiMessages {
    let flavor: Flavor
    var legacy: Bool { flavor == .openDistro }

    func created(_ name: String) -> SecurityResponse { .status(201, "'\(name)' created.") }
    func updated(_ name: String) -> SecurityResponse { .status(200, "'\(name)' updated.") }
    func deleted(_ name: String) -> SecurityResponse { .status(200, "'\(name)' deleted.") }
    var resourceUpdated: SecurityResponse { .status(200, "Resource updated.") }

    func deleteMissing(_ resource: String, _ name: String) -> SecurityResponse {
        .status(404, legacy ? "\(resource) \(name) not found." : "\(resource) '\(name)' not found.")
    }

    func getMissing(_ resource: String, _ name: String) -> SecurityResponse {
        .status(404, legacy ? "Resource '\(name)' not found." : "\(resource) '\(name)' not found.")
    }

    /// PATCH of a missing single entry uses the DELETE wording (reference §6.3b).
    func patchMissing(_ resource: String, _ name: String) -> SecurityResponse { deleteMissing(resource, name) }

    func noName(_ resource: String) -> SecurityResponse { .status(400, "No \(resource) specified.") }

    func hidden(_ name: String) -> SecurityResponse { .status(404, "Resource '\(name)' is not available.") }

    func protected(_ name: String, _ flags: EntryFlags) -> SecurityResponse {
        if legacy { return .status(403, "Resource '\(name)' is read-only.") }
        return .status(403, flags.isStatic ? "Resource '\(name)' is static." : "Resource '\(name)' is reserved.")
    }

    func roleUnavailable(_ role: String) -> SecurityResponse {
        .status(404, legacy ? "Role '\(role)' is not available for role-mapping." : "role '\(role)' not found.")
    }

    func methodNotSupported(_ method: String) -> SecurityResponse { .status(501, "Method \(method) not supported for this action.") }

    var patchNeedsJSON: SecurityResponse { .status(400, "PATCH accepts only application/json") }

    func patchError(_ detail: String) -> SecurityResponse { .status(400, "Error in JSON patch: \(detail)") }

    func typeAbsent(_ type: ConfigType, patch: Bool) -> SecurityResponse {
        if patch { return .status(403, "Config '\(type.rawValue)' isn't configured. Use \(flavor.adminToolName) to populate.") }
        return .status(403, "Security index need to be updated to support '\(type.rawValue)'. Use \(flavor.adminToolName) to populate.")
    }

    var userNeedsPassword: SecurityResponse {
        .status(400, "Please specify either 'hash' or 'password' when creating a new internal user.")
    }

    func saveFailed(_ message: String) -> SecurityResponse { .status(500, "Error \(message)") }

    var readOnlyProperty: SecurityResponse { .status(409, "Attempted to update read-only property.") }

    var configNameMustBeConfig: SecurityResponse { .status(400, "name must be config") }
}
