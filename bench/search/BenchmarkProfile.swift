import Foundation
import JSONValue
import SearchEngine

/// Single phases of the benchmark for profilers: under `valgrind --tool=callgrind` the
/// instruction counts repeat to the per mille on the shared 2-core machine, where wall-clock
/// figures swing by 2× with other builds, so optimisation work is judged on them.
extension Benchmark {
    enum Phase: String {
        /// Bulk ingest only (no raw ceiling, no queries).
        case bulk
        /// The raw SQLite INSERT + FTS5 ceiling only, to compare instruction counts with `bulk`.
        case raw
        /// 50 `match` and 10 `terms` searches over the database a `bulk` run kept with `--keep`.
        case match
    }

    func profile(_ phase: Phase, keep: String?) -> Bool {
        do {
            switch phase {
            case .bulk:
                let lines = (0..<documents).map(Self.document)
                let directory = keep ?? NSTemporaryDirectory() + "bench-profile-\(UUID().uuidString)"
                let (rate, _, _) = try bulkIngest(lines, into: directory)
                if keep == nil { try? FileManager.default.removeItem(atPath: directory) }
                print(String(format: "bulk: %.0f docs/s", rate))
            case .raw:
                let rate = try rawCeiling((0..<documents).map(Self.document))
                print(String(format: "raw: %.0f docs/s", rate))
            case .match:
                guard let keep else {
                    print("profile match needs --keep DIR of an earlier `profile bulk --keep DIR` run")
                    return false
                }
                let engine = try SearchEngine(dataPath: keep)
                let match = try SearchRequest.parse(body: try JSON(parsing: #"{"query":{"match":{"message":"timeout"}}}"#))
                let terms = try SearchRequest.parse(body: try JSON(parsing: #"{"size":0,"aggs":{"levels":{"terms":{"field":"level.keyword"}}}}"#))
                let matchP50 = try latency(runs: 50) { _ = try engine.search("logs", match) }
                let termsP50 = try latency(runs: 10) { _ = try engine.search("logs", terms) }
                print(String(format: "match p50 %.2f ms, terms p50 %.2f ms", matchP50, termsP50))
            }
            return true
        } catch {
            print("profile failed: \(error)")
            return false
        }
    }
}
