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
/// sample variance divides by zero: ES prints Java's NaN there, which is not JSON, so this
/// node prints null.
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
        let sampling: Double? = count > 1 ? Swift.max(0, (squares - sum * sum / n) / (n - 1)) : nil
        let deviation = population.squareRoot(), sampleDeviation = sampling?.squareRoot()
        result["sum_of_squares"] = .double(squares)
        result["variance"] = .double(population)
        result["variance_population"] = .double(population)
        result["variance_sampling"] = sampling.map(JSON.double) ?? .null
        result["std_deviation"] = .double(deviation)
        result["std_deviation_population"] = .double(deviation)
        result["std_deviation_sampling"] = sampleDeviation.map(JSON.double) ?? .null
        let bounds: [JSON] = [.double(avg + sigma * deviation), .double(avg - sigma * deviation),
                              .double(avg + sigma * deviation), .double(avg - sigma * deviation),
                              sampleDeviation.map { .double(avg + sigma * $0) } ?? .null,
                              sampleDeviation.map { .double(avg - sigma * $0) } ?? .null]
        result["std_deviation_bounds"] = .object(JSONObject(Array(zip(Self.boundKeys, bounds))))
        return .object(result)
    }

    static let boundKeys = ["upper", "lower", "upper_population", "lower_population", "upper_sampling", "lower_sampling"]
}
