/// Placeholder substitution in index patterns (reference §2.7): `${user.name}` / `${user_name}`,
/// `${user.roles}` / `${user_roles}` (backend roles, each quoted, comma-joined) and custom
/// attributes by name, also with dots replaced by `_` (`${attr.internal.k}` / `${attr_internal_k}`).
enum Placeholders {
    static func substitute(_ pattern: String, user: User) -> String {
        guard pattern.utf8.contains(UInt8(ascii: "$")), pattern.contains("${") else { return pattern }
        var result = pattern
        result = result.replacingOccurrences(of: "${user.name}", with: user.name)
        result = result.replacingOccurrences(of: "${user_name}", with: user.name)
        let roles = user.backendRoles.map { "\"\($0)\"" }.joined(separator: ",")
        result = result.replacingOccurrences(of: "${user.roles}", with: roles)
        result = result.replacingOccurrences(of: "${user_roles}", with: roles)
        for (key, value) in user.attributes {
            result = result.replacingOccurrences(of: "${\(key)}", with: value)
            result = result.replacingOccurrences(of: "${\(key.replacingOccurrences(of: ".", with: "_"))}", with: value)
        }
        return result
    }
}
