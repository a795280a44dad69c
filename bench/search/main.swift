// bench-search: the SearchEngine benchmark (issue 3 "Performance") and the crash writer used by
// the durability test.
//
//   bench-search [--docs N]          bulk ingest vs raw SQLite ceiling, match and terms-agg latency
//   bench-search profile bulk|raw|match [--docs N] [--keep DIR]
//                                    one phase only, for `valgrind --tool=callgrind` (instruction
//                                    counts are repeatable on the shared machine; wall time is not)
//   bench-search crash-writer DIR    index docs forever into DIR, printing each acknowledged _id
//   bench-search ceiling FILE BATCHES TEXT_FIELDS
//                                    the strict raw SQLite INSERT+FTS5 ceiling for the documents of a
//                                    `_bulk` NDJSON file (action lines skipped), stored BATCHES
//                                    times (bench/node-vs-peers.sh compares the node's `_bulk` with it)
import Foundation
import SearchEngine

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "crash-writer" {
    guard arguments.count == 2 else {
        FileHandle.standardError.write(Data("usage: bench-search crash-writer DIR\n".utf8))
        exit(2)
    }
    CrashWriter.run(dataPath: arguments[1])
} else if arguments.first == "ceiling" {
    guard arguments.count == 4, let batches = Int(arguments[2]), batches > 0,
          let body = FileManager.default.contents(atPath: arguments[1]) else {
        FileHandle.standardError.write(Data("usage: bench-search ceiling BULK.ndjson BATCHES TEXT_FIELDS (comma-separated)\n".utf8))
        exit(2)
    }
    // Every second line is a document: the file holds `create`/`index` actions only.
    let lines = String(decoding: body, as: UTF8.self).split(separator: "\n").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    let benchmark = Benchmark(documents: lines.count, batchSize: lines.count)
    let all = Array(repeating: lines, count: batches).flatMap { $0 }
    let rate = try benchmark.strictCeiling(all, textFields: arguments[3].split(separator: ",").map(String.init))
    print(String(format: "ceiling: %.0f docs/s", rate))
    if ProcessInfo.processInfo.environment["BENCH_ENGINE_TOO"] != nil {
        let (engineRate, _, directory) = try benchmark.bulkIngest(all)
        try? FileManager.default.removeItem(atPath: directory)
        print(String(format: "engine: %.0f docs/s", engineRate))
    }
} else if arguments.first == "profile", arguments.count >= 2, let phase = Benchmark.Phase(rawValue: arguments[1]) {
    var documents = 20_000
    if let position = arguments.firstIndex(of: "--docs"), position + 1 < arguments.count, let count = Int(arguments[position + 1]) {
        documents = count
    }
    let keep = arguments.firstIndex(of: "--keep").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    exit(Benchmark(documents: documents).profile(phase, keep: keep) ? 0 : 1)
} else {
    var documents = 100_000
    if let position = arguments.firstIndex(of: "--docs"), position + 1 < arguments.count, let count = Int(arguments[position + 1]) {
        documents = count
    }
    exit(Benchmark(documents: documents).run() ? 0 : 1)
}
