/// Recursive action-group expansion (reference §4.2, `ConfigModelV7.reloadActionGroups`).
///
/// Each string is looked up as a group name (exact, case-sensitive); a group is replaced by its
/// members recursively, anything else is kept as an action pattern. Unknown names are therefore
/// literal patterns. Cycles are cut: a group already being expanded contributes nothing more.
public struct ActionGroupResolver: Sendable {
    private let groups: NamedEntries<ActionGroup>

    public init(_ groups: NamedEntries<ActionGroup>) {
        self.groups = groups
    }

    /// The flattened, de-duplicated action patterns for `names`, in first-seen order.
    public func resolve(_ names: [String]) -> [String] {
        var result: [String] = []
        var seen = Set<String>()
        var visiting = Set<String>()
        func visit(_ name: String) {
            if let group = groups[name] {
                guard visiting.insert(name).inserted else { return }
                for member in group.allowedActions { visit(member) }
            } else if seen.insert(name).inserted {
                result.append(name)
            }
        }
        for name in names { visit(name) }
        return result
    }
}
