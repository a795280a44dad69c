import GRDB
import JSONValue

/// `stats` and `extended_stats`: count, min, max, avg and sum of a numeric or date field, and
/// for `extended_stats` the sum of squares, variances, standard deviations and the bounds
/// `avg ± sigma × std_deviation` — in one SQL pass over the field's doc values.
///
/// The body follows ES 7.10's `InternalStats` / `InternalExtendedStats`: with no values `count`
/// is 0, `sum` 0.0 and every other figure null (the bounds object keeps its six keys as
/// nulls); a date field adds `*_as_string` (ISO 8601, UTC) for min, max, avg and sum. The
/// variances are population (`variance`, `variance_population`) and sample
/// (`variance_sampling`) variances, floored at 0 against rounding. With a single value the
/// sample variance divides by zero and ES prints `"NaN"` (a string) for it, its deviation and
/// bounds; so does this node. `extended_stats` of a date field adds every figure `_as_string`.
extension AggregationExecution {
    func stats(field: String, extended: Bool, sigma: Double, filter: AggregationFilter) throws -> JSON {
        let name = extended ? "extended_stats" : "stats"
        var count: Int64 = 0, min = 0.0, max = 0.0, sum = 0.0, squares = 0.0, type = FieldType.double
        if let (ids, fieldType) = try fields(field, name) {
            if fieldType == .keyword {
                throw ElasticsearchError.illegalArgument("Field [\(field)] of type [\(fieldType.rawValue)] is not supported for aggregation [\(name)]")
            }
            type = fieldType
            if let row = try Row.fetchOne(db, sql: "SELECT count(v), min(v), max(v), total(v), total(CAST(v AS REAL) * v) FROM vals WHERE field IN (\(ids))\(filter.sql)",
                                          arguments: StatementArguments(filter.arguments)) {
                count = row[0] ?? 0
                min = row[1] ?? 0
                max = row[2] ?? 0
                sum = row[3] ?? 0
                squares = row[4] ?? 0
            }
        }
        var result: JSONObject = ["count": .int(count)]
        guard count > 0 else {
            result["min"] = .null; result["max"] = .null; result["avg"] = .null; result["sum"] = .double(0)
            if extended {
                for key in ["sum_of_squares", "variance", "variance_population", "variance_sampling",
                            "std_deviation", "std_deviation_population", "std_deviation_sampling"] { result[key] = .null }
                result["std_deviation_bounds"] = .object(JSONObject(Self.boundKeys.map { ($0, JSON.null) }))
            }
            return .object(result)
        }
        let n = Double(count), avg = sum / n
        result["min"] = .double(min); result["max"] = .double(max); result["avg"] = .double(avg); result["sum"] = .double(sum)
        if type == .date {
            for (key, value) in [("min", min), ("max", max), ("avg", avg), ("sum", sum)] {
                result[key + "_as_string"] = .string(DateMath.format(approximately: value))
            }
        }
        guard extended else { return .object(result) }
        let population = Swift.max(0, (squares - sum * sum / n) / n)
        // One value: Java's 0/0, a NaN, which ES prints as the string "NaN".
        let sampling = count > 1 ? Swift.max(0, (squares - sum * sum / n) / (n - 1)) : .nan
        let deviation = population.squareRoot(), sampleDeviation = sampling.squareRoot()
        let figures: [(String, Double)] = [("sum_of_squares", squares), ("variance", population), ("variance_population", population),
                                           ("variance_sampling", sampling), ("std_deviation", deviation),
                                           ("std_deviation_population", deviation), ("std_deviation_sampling", sampleDeviation)]
        let bounds = [avg + sigma * deviation, avg - sigma * deviation, avg + sigma * deviation, avg - sigma * deviation,
                      avg + sigma * sampleDeviation, avg - sigma * sampleDeviation]
        for (key, value) in figures { result[key] = Self.number(value) }
        result["std_deviation_bounds"] = .object(JSONObject(Array(zip(Self.boundKeys, bounds.map(Self.number)))))
        if type == .date {
            for (key, value) in figures { result[key + "_as_string"] = .string(DateMath.format(approximately: value)) }
            result["std_deviation_bounds_as_string"] = .object(JSONObject(Array(zip(Self.boundKeys, bounds.map { JSON.string(DateMath.format(approximately: $0)) }))))
        }
        return .object(result)
    }

    /// A figure as ES prints a double: NaN as the string "NaN" (Jackson quotes non-numeric numbers).
    private static func number(_ value: Double) -> JSON { value.isNaN ? "NaN" : .double(value) }

    static let boundKeys = ["upper", "lower", "upper_population", "lower_population", "upper_sampling", "lower_sampling"]
}
