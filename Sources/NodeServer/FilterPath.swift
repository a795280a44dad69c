import JSONValue

/// Elasticsearch's `filter_path` response filter: `filter_path=hits.hits._id,took`,
/// `*` inside a name, `**` for any number of levels, `-` for exclusion. Arrays are transparent
/// (the path addresses the objects inside them), and a response that keeps nothing is `{}`,
/// as in Elasticsearch's `FilterPathBasedFilter`.
///
/// Paths are parsed once into `Segment`s and walked as slices: a filtered `_bulk` response
/// (Filebeat asks for `errors,items.*.error,items.*.status`) visits every key of every item, so
/// matching a key must not allocate or search the pattern for `*` again.
public struct FilterPath: Sendable, Equatable {
    /// One name of a path.
    enum Segment: Sendable, Equatable {
        case exact(String)
        /// `*`
        case anyName
        /// `**`
        case anyLevels
        /// A name with `*` inside.
        case glob(String)

        init(_ text: Substring) {
            switch text {
            case "**": self = .anyLevels
            case "*": self = .anyName
            default: self = text.contains("*") ? .glob(String(text)) : .exact(String(text))
            }
        }

        func matches(_ key: String) -> Bool {
            switch self {
            case .exact(let name): name == key
            case .anyName, .anyLevels: true
            case .glob(let pattern): FilterPath.glob(pattern, matches: key)
            }
        }
    }

    private typealias Path = ArraySlice<Segment>
    private var includes: [Path] = []
    private var excludes: [Path] = []

    /// Parses the query parameter; nil when it names no path.
    public init?(_ parameter: String) {
        for expression in parameter.split(separator: ",") {
            let text = expression.trimmingSpaces()
            guard !text.isEmpty else { continue }
            if text.hasPrefix("-") {
                excludes.append(ArraySlice(text.dropFirst().split(separator: ".").map(Segment.init)))
            } else {
                includes.append(ArraySlice(text.split(separator: ".").map(Segment.init)))
            }
        }
        if includes.isEmpty && excludes.isEmpty { return nil }
    }

    /// The filtered response.
    public func apply(to value: JSON) -> JSON {
        var result = value
        if !includes.isEmpty {
            result = FilterPath.keep(result, paths: includes) ?? .object(JSONObject())
        }
        if !excludes.isEmpty {
            result = FilterPath.drop(result, paths: excludes)
        }
        return result
    }

    /// The paths that remain after stepping into `key` (an empty remainder means "all of it").
    private static func step(_ paths: [Path], into key: String) -> [Path] {
        var next: [Path] = []
        for path in paths {
            guard let head = path.first else { continue }
            if head == .anyLevels {
                next.append(path)
                next.append(contentsOf: step([path.dropFirst()], into: key))
                if path.count == 1 { next.append([]) }
            } else if head.matches(key) {
                next.append(path.dropFirst())
            }
        }
        return next
    }

    private static func keep(_ value: JSON, paths: [Path]) -> JSON? {
        switch value {
        case .object(let object):
            var kept = JSONObject()
            for (key, child) in object {
                let remaining = step(paths, into: key)
                if remaining.isEmpty { continue }
                if remaining.contains(where: \.isEmpty) {
                    kept[key] = child
                } else if let filtered = keep(child, paths: remaining) {
                    kept[key] = filtered
                }
            }
            return kept.isEmpty ? nil : .object(kept)
        case .array(let items):
            let kept = items.compactMap { keep($0, paths: paths) }
            return kept.isEmpty ? nil : .array(kept)
        default:
            return nil
        }
    }

    private static func drop(_ value: JSON, paths: [Path]) -> JSON {
        switch value {
        case .object(let object):
            var kept = JSONObject()
            for (key, child) in object {
                let remaining = step(paths, into: key)
                if remaining.contains(where: \.isEmpty) { continue }
                kept[key] = remaining.isEmpty ? child : drop(child, paths: remaining)
            }
            return .object(kept)
        case .array(let items):
            return .array(items.map { drop($0, paths: paths) })
        default:
            return value
        }
    }

    /// `*` matches any run of characters inside one name.
    static func glob(_ pattern: String, matches name: String) -> Bool {
        if pattern == "*" || pattern == name { return true }
        guard pattern.contains("*") else { return false }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        var rest = Substring(name)
        for (position, part) in parts.enumerated() {
            if position == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if position == parts.count - 1 {
                return part.isEmpty || rest.hasSuffix(part)
            } else if let range = rest.range(of: part) {
                rest = rest[range.upperBound...]
            } else {
                return false
            }
        }
        return rest.isEmpty
    }
}

private extension Substring {
    func trimmingSpaces() -> Substring {
        let start = firstIndex(where: { $0 != " " }) ?? endIndex
        let end = lastIndex(where: { $0 != " " }).map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}
