import Foundation

/// Durations as Filebeat writes them (Go's `time.ParseDuration`: `10s`, `5m`, `1h30m`,
/// `250ms`), plus a bare number of seconds as its config library also accepts.
enum GoDuration {
    static func parse(_ text: String) -> Duration? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) { return seconds >= 0 ? .milliseconds(Int64(seconds * 1000)) : nil }
        var total: Double = 0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard let number = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isLetter || $0 == "µ" }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ns": total += number / 1e9
            case "us", "µs": total += number / 1e6
            case "ms": total += number / 1e3
            case "s": total += number
            case "m": total += number * 60
            case "h": total += number * 3600
            default: return nil
            }
        }
        return .nanoseconds(Int64(total * 1e9))
    }
}
