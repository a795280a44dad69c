/// One item of a `_bulk` request (reference §5): its operation and target index.
public struct BulkItem: Sendable, Hashable {
    public enum Operation: String, Sendable { case index, create, update, delete }
    public var operation: Operation
    public var index: String

    public init(_ operation: Operation, index: String) {
        self.operation = operation
        self.index = index
    }

    /// CREATE/INDEX → `indices:data/write/index`, DELETE → `.../delete`, UPDATE → `.../update`.
    public var action: String {
        switch operation {
        case .index, .create: return "indices:data/write/index"
        case .update: return "indices:data/write/update"
        case .delete: return "indices:data/write/delete"
        }
    }
}

/// Result of ``SecurityService/authorizeBulk(_:items:)``: the request-level check and one
/// decision per item (items that fail are reported per item; the others proceed).
public struct BulkAuthorization: Sendable, Equatable {
    public var request: AuthorizationDecision
    public var items: [AuthorizationDecision]
}
