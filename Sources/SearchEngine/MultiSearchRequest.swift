import Foundation
import JSONValue

/// A parsed `_msearch` body (ES 7.10 `MultiSearchRequest.readMultiLineFormat`): NDJSON pairs of a
/// header line (`{"index": ...}` and search options, or empty for the defaults) and a search body.
///
/// As in ES, every line is parsed before anything runs, so a malformed header or body fails the
/// whole request (400); what goes wrong while a search runs (a missing index, a refused index)
/// fails only its own entry of `responses`.
public struct MultiSearchRequest: Sendable {
    public struct Item: Sendable {
        /// The index expression (`logs-*,movies`; `_all` when neither the header nor the path names one).
        public var indices: String
        public var ignoreUnavailable: Bool
        public var search: SearchRequest
    }

    public var items: [Item]

    /// Header keys ES accepts; the ones that change nothing on a single node are accepted and ignored.
    static let headerKeys: Set<String> = [
        "index", "indices", "type", "types", "search_type", "ccs_minimize_roundtrips", "request_cache", "preference",
        "routing", "allow_partial_search_results", "expand_wildcards", "ignore_unavailable", "allow_no_indices", "ignore_throttled",
    ]

    /// `parameters` are the request's URL parameters that apply to every search
    /// (`rest_total_hits_as_int`).
    public static func parse(_ body: [UInt8], defaultIndex: String?, parameters: [String: String] = [:]) throws(ElasticsearchError) -> MultiSearchRequest {
        guard !body.isEmpty else { throw .actionValidation(["no requests added"]) }
        guard body.last == UInt8(ascii: "\n") else {
            throw .illegalArgument("The msearch request must be terminated by a newline [\\n]")
        }
        let lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        var items: [Item] = []
        var cursor = lines.startIndex
        // A header without its body line at the end is ignored, as ES stops at the last newline.
        while cursor + 1 < lines.endIndex {
            var item = Item(indices: defaultIndex ?? "_all", ignoreUnavailable: false, search: SearchRequest())
            try readHeader(lines[cursor], into: &item)
            let source = lines[cursor + 1]
            item.search = try SearchRequest.parse(body: source.allSatisfy(Self.isBlank) ? nil : try SearchEngine.parseBody(Array(source)),
                                                  parameters: parameters.filter { $0.key == "rest_total_hits_as_int" })
            items.append(item)
            cursor += 2
        }
        guard !items.isEmpty else { throw .actionValidation(["no requests added"]) }
        return MultiSearchRequest(items: items)
    }

    private static func readHeader(_ line: ArraySlice<UInt8>, into item: inout Item) throws(ElasticsearchError) {
        guard !line.allSatisfy(isBlank) else { return }
        let header = try SearchEngine.parseBody(Array(line))
        guard let object = header.objectValue else { throw .parsing("Expected [START_OBJECT] but found [\(header.tokenName)]") }
        for (key, value) in object {
            guard headerKeys.contains(key) else { throw .illegalArgument("key [\(key)] is not supported in the metadata section") }
            switch key {
            case "index", "indices":
                if let name = value.stringValue {
                    item.indices = name
                } else if let names = value.arrayValue, names.allSatisfy({ $0.stringValue != nil }) {
                    item.indices = names.compactMap(\.stringValue).joined(separator: ",")
                } else {
                    throw .illegalArgument("Expected a string or an array of strings for [\(key)], found [\(value.tokenName)]")
                }
            case "ignore_unavailable":
                item.ignoreUnavailable = value.boolValue ?? (value.stringValue == "true")
            default:
                continue
            }
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 }
}

extension SearchEngine {
    /// `GET|POST [/{index}]/_msearch`: runs each search; `rejections` are entries a security
    /// layer refused (their position → the error that entry answers with).
    public func multiSearch(_ request: MultiSearchRequest, rejections: [Int: ElasticsearchError] = [:]) -> EngineResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let responses: [JSON] = request.items.enumerated().map { position, item in
            do throws(ElasticsearchError) {
                if let rejection = rejections[position] { throw rejection }
                guard case .object(var body) = try search(item.indices, item.search, ignoreUnavailable: item.ignoreUnavailable).body else { return .null }
                body["status"] = 200
                return .object(body)
            } catch {
                return ["error": error.body["error"] ?? .null, "status": .int(Int64(error.status))]
            }
        }
        return EngineResponse(body: ["took": .int(Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)),
                                     "responses": .array(responses)])
    }
}
