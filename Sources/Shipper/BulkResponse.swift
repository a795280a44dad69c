import JSONValue

/// What the node said about each item of a `_bulk` request, classified as Filebeat does
/// (reference §3.7): below 300 acked, 409 a duplicate (the `create` of an id that exists — a
/// replay, so delivered), 429 and ≥500 retried, other statuses non-indexable.
enum BulkItemOutcome: Equatable {
    case acked
    case duplicate
    case retry(status: Int)
    case nonIndexable(status: Int, reason: String)
}

enum BulkResponse {
    /// One outcome per item, or nil if the body is not a bulk response for `count` items.
    static func outcomes(body: [UInt8], count: Int) -> [BulkItemOutcome]? {
        guard let json = try? JSON(parsing: body) else { return nil }
        if json["errors"]?.boolValue == false { return Array(repeating: .acked, count: count) }
        guard let items = json["items"]?.arrayValue, items.count == count else { return nil }
        return items.map { item in
            guard let result = item.objectValue?.first?.value, let status = result["status"]?.intValue.map(Int.init) else {
                return .retry(status: 0)
            }
            switch status {
            case ..<300: return .acked
            case 409: return .duplicate
            case 429, 500...: return .retry(status: status)
            default:
                let error = result["error"]
                let reason = [error?["type"]?.stringValue, error?["reason"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
                return .nonIndexable(status: status, reason: reason.isEmpty ? (error?.serialized() ?? "no reason given") : reason)
            }
        }
    }
}
