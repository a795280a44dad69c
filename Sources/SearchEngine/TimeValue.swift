import Foundation

/// Elasticsearch's `TimeValue` strings (`500ms`, `30s`, `2m`, `1h`, `1d`), as settings and
/// request parameters such as `scroll` carry them.
public enum TimeValue {
    /// The value in milliseconds; bare `0` and `-1` (both meaning "none") are the only values
    /// accepted without a unit. Nil for anything else.
    public static func milliseconds(_ text: String) -> Int64? {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        if lower == "0" || lower == "-1" { return 0 }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, factor) in units where lower.hasSuffix(suffix) {
            guard let number = Int64(lower.dropLast(suffix.count)), number >= 0, number <= Int64.max / factor else { return nil }
            return number * factor
        }
        return nil
    }
}
