import Foundation
import PKI

/// One user's resolved permissions plus memoised (action, index) decisions.
///
/// Pattern matching is cheap for globs but a `/regex/` pattern costs microseconds through
/// `NSRegularExpression`; a node sees the same few (action, index) pairs per user over and
/// over, so remembering the answers keeps a decision well under the 5 µs target (issue 4).
/// The whole entry is dropped when the configuration changes.
final class CachedPermissions: @unchecked Sendable {
    let permissions: UserPermissions
    private let lock = NSLock()
    private var decisions: [DecisionKey: Bool] = [:]
    private static let capacity = 4096

    /// Byte for byte (`hasSameBytes(as:)`), as the patterns match: two spellings of one
    /// canonically equivalent index name get two decisions.
    private struct DecisionKey: Hashable {
        var action: String
        var index: String

        static func == (lhs: DecisionKey, rhs: DecisionKey) -> Bool {
            lhs.action.hasSameBytes(as: rhs.action) && lhs.index.hasSameBytes(as: rhs.index)
        }

        func hash(into hasher: inout Hasher) {
            action.hashBytes(into: &hasher)
            index.hashBytes(into: &hasher)
        }
    }

    init(_ permissions: UserPermissions) {
        self.permissions = permissions
    }

    func allows(_ action: String, on index: String) -> Bool {
        memoised(DecisionKey(action: action, index: index)) { permissions.allows(action, on: index) }
    }

    /// Cluster-level decisions share the memo under an index name no real index can have.
    func allowsCluster(_ action: String) -> Bool {
        memoised(DecisionKey(action: action, index: "\u{0}cluster")) { permissions.allowsCluster(action) }
    }

    private func memoised(_ key: DecisionKey, _ compute: () -> Bool) -> Bool {
        lock.lock()
        if let known = decisions[key] { lock.unlock(); return known }
        lock.unlock()
        let result = compute()
        lock.lock()
        if decisions.count >= CachedPermissions.capacity { decisions.removeAll(keepingCapacity: true) }
        decisions[key] = result
        lock.unlock()
        return result
    }
}
