import Foundation

/// The parts of an HTTP request the Elasticsearch-compatible endpoints look at: method, the
/// percent-decoded path segments, the query parameters and the (already inflated) body.
public struct ElasticRequest: Sendable {
    public var method: String
    public var path: String
    public var segments: [String]
    public var parameters: [String: String]
    public var body: [UInt8]

    public init(method: String, rawPath: String, rawQuery: String?, body: [UInt8]) {
        self.method = method
        if let segments = Self.plainSegments(rawPath) {
            self.path = rawPath
            self.segments = segments
        } else {
            self.path = Self.percentDecoded(rawPath[...])
            self.segments = rawPath.utf8.split(separator: UInt8(ascii: "/")).map { Self.percentDecoded(Substring($0)) }
        }
        self.parameters = Self.decodeQuery(rawQuery)
        self.body = body
    }

    /// The non-empty `/`-separated segments of a path without `%` escapes (nearly every
    /// request), cut from its UTF-8 bytes in one pass; nil when a segment needs decoding.
    private static func plainSegments(_ rawPath: String) -> [String]? {
        rawPath.utf8.withContiguousStorageIfAvailable { bytes -> [String]? in
            var segments: [String] = []
            // Sized once: growing one element at a time reallocated twice for `/index/_doc/id`.
            segments.reserveCapacity(bytes.reduce(1) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 })
            var start = 0
            for position in 0...bytes.count {
                let byte = position < bytes.count ? bytes[position] : UInt8(ascii: "/")
                if byte == UInt8(ascii: "%") { return nil }
                guard byte == UInt8(ascii: "/") else { continue }
                if position > start {
                    segments.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
                }
                start = position + 1
            }
            return segments
        } ?? nil
    }

    /// `a=1&b&c=x%2Cy` → `["a": "1", "b": "", "c": "x,y"]`; `+` is a space, as Elasticsearch's
    /// `RestUtils.decodeComponent` reads it. A repeated key keeps its last value.
    static func decodeQuery(_ query: String?) -> [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                percentDecoded(text.utf8.contains(UInt8(ascii: "+")) ? text.replacingOccurrences(of: "+", with: " ")[...] : text)
            }
            parameters[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return parameters
    }

    /// `%XX` sequences decoded; text without `%` (nearly every request) skips Foundation's
    /// decoder, which bridges through NSString and showed up in the request path's profile.
    /// Invalid escapes leave the text as sent.
    static func percentDecoded(_ text: Substring) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        return text.removingPercentEncoding ?? String(text)
    }

    /// A boolean parameter as Elasticsearch parses it: present without value or `true` is true.
    public func flag(_ name: String) -> Bool {
        guard let value = parameters[name] else { return false }
        return value.isEmpty || value == "true"
    }
}
