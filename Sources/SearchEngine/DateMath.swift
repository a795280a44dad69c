import Foundation

/// Dates as Elasticsearch's default `date` format reads and writes them
/// (`strict_date_optional_time||epoch_millis`), plus the date math range queries use (`now-1d/d`).
///
/// Our own parser rather than `ISO8601DateFormatter`: the ES format accepts partial forms
/// (`2026-11`, `2026-11-29T10`), optional fractions of any length and offsets with or without a
/// colon, and it must be fast enough to run on every field while indexing.
public enum DateMath {
    /// Epoch milliseconds of `text` in `strict_date_optional_time`, or nil if it is not one.
    public static func parseISO(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        func accept(_ character: UInt8) -> Bool {
            if index < bytes.count && bytes[index] == character { index += 1; return true }
            return false
        }
        guard let year = digits(4) else { return nil }
        var month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0, offsetMinutes = 0
        if accept(45) {  // -
            guard let value = digits(2), (1...12).contains(value) else { return nil }
            month = value
            if accept(45) {
                guard let value = digits(2), (1...daysIn(month: month, year: year)).contains(value) else { return nil }
                day = value
                if accept(84) {  // T
                    guard let value = digits(2), value < 24 else { return nil }
                    hour = value
                    if accept(58) {
                        guard let value = digits(2), value < 60 else { return nil }
                        minute = value
                        if accept(58) {
                            guard let value = digits(2), value < 60 else { return nil }
                            second = value
                            if accept(46) || accept(44) {
                                var scale = 100, count = 0
                                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                                    millis += Int(bytes[index] - 48) * scale
                                    scale /= 10
                                    index += 1
                                    count += 1
                                }
                                guard count > 0 else { return nil }
                            }
                        }
                    }
                    if accept(90) {  // Z
                    } else if index < bytes.count && (bytes[index] == 43 || bytes[index] == 45) {
                        let sign = bytes[index] == 45 ? -1 : 1
                        index += 1
                        guard let hours = digits(2) else { return nil }
                        _ = accept(58)
                        let minutes = digits(2) ?? 0
                        offsetMinutes = sign * (hours * 60 + minutes)
                    }
                }
            }
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return seconds * 1000 + Int64(millis)
    }

    /// A date field value: an ISO string or epoch milliseconds (number or digits).
    public static func parseDateValue(_ value: String) -> Int64? {
        if let millis = parseISO(value) { return millis }
        if !value.isEmpty, value.allSatisfy({ $0.isNumber || $0 == "-" }), let number = Int64(value) { return number }
        return nil
    }

    /// `2026-11-29T16:45:00.000Z`: how ES renders `key_as_string` and `value_as_string`.
    /// `format` of a figure computed in floating point (an average, a sum of dates), clamped to
    /// ±8.64e15 ms (±275,760 years, the span a date can print in) where `Int64(_:)` would trap.
    public static func format(approximately millis: Double) -> String {
        format(millis.isNaN ? 0 : Int64(min(max(millis, -8.64e15), 8.64e15)))
    }

    public static func format(_ millis: Int64) -> String {
        let (daysSinceEpoch, msOfDay) = floorDivide(millis, 86_400_000)
        let (year, month, day) = civilFromDays(Int(daysSinceEpoch))
        let ms = Int(msOfDay)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(ms / 3_600_000, 2)):\(pad(ms / 60_000 % 60, 2)):\(pad(ms / 1000 % 60, 2)).\(pad(ms % 1000, 3))Z"
    }

    /// Resolves a range bound: `now`, `now-15m`, `2026-11-29||+1d/d`, ISO dates or epoch millis.
    /// `roundUp` selects the end of a rounded unit, as ES does for `gt` and `lte`.
    public static func resolve(_ text: String, now: Int64, roundUp: Bool) -> Int64? {
        var base: Int64
        var math: Substring
        if text.hasPrefix("now") {
            base = now
            math = text.dropFirst(3)
        } else if let marker = text.range(of: "||") {
            guard let parsed = parseDateValue(String(text[..<marker.lowerBound])) else { return nil }
            base = parsed
            math = text[marker.upperBound...]
        } else {
            return parseDateValue(text)
        }
        while let first = math.first {
            math = math.dropFirst()
            if first == "/" {
                guard let unit = math.first, math.count == 1 else { return nil }
                guard let start = roundDown(base, unit: unit) else { return nil }
                base = roundUp ? add(start, amount: 1, unit: unit)! - 1 : start
                math = math.dropFirst()
            } else if first == "+" || first == "-" {
                let number = math.prefix(while: \.isNumber)
                math = math.dropFirst(number.count)
                guard let unit = math.first, let amount = Int(number.isEmpty ? "1" : number) else { return nil }
                math = math.dropFirst()
                guard let moved = add(base, amount: first == "-" ? -amount : amount, unit: unit) else { return nil }
                base = moved
            } else {
                return nil
            }
        }
        return base
    }

    /// Adds calendar units (`y M w d h H m s`) in UTC.
    static func add(_ millis: Int64, amount: Int, unit: Character) -> Int64? {
        switch unit {
        case "s": return millis + Int64(amount) * 1000
        case "m": return millis + Int64(amount) * 60_000
        case "h", "H": return millis + Int64(amount) * 3_600_000
        case "d": return millis + Int64(amount) * 86_400_000
        case "w": return millis + Int64(amount) * 7 * 86_400_000
        case "M", "y":
            let (days, msOfDay) = floorDivide(millis, 86_400_000)
            var (year, month, day) = civilFromDays(Int(days))
            let months = year * 12 + (month - 1) + (unit == "y" ? amount * 12 : amount)
            year = Int(floor(Double(months) / 12))
            month = months - year * 12 + 1
            day = min(day, daysIn(month: month, year: year))
            return Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400_000 + msOfDay
        default: return nil
        }
    }

    /// The start of the calendar unit containing `millis` (weeks start on Monday, as in ES).
    static func roundDown(_ millis: Int64, unit: Character) -> Int64? {
        let (days, msOfDay) = floorDivide(millis, 86_400_000)
        let (year, month, _) = civilFromDays(Int(days))
        switch unit {
        case "s": return millis - floorDivide(millis, 1000).1
        case "m": return millis - floorDivide(millis, 60_000).1
        case "h", "H": return millis - floorDivide(millis, 3_600_000).1
        case "d": return millis - msOfDay
        case "w": return (days - floorDivide(days + 3, 7).1) * 86_400_000  // 1970-01-01 was a Thursday
        case "M": return Int64(daysFromCivil(year: year, month: month, day: 1)) * 86_400_000
        case "q": return Int64(daysFromCivil(year: year, month: (month - 1) / 3 * 3 + 1, day: 1)) * 86_400_000
        case "y": return Int64(daysFromCivil(year: year, month: 1, day: 1)) * 86_400_000
        default: return nil
        }
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = ((value % divisor) + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days-from-civil: days since 1970-01-01 for a proleptic Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
