// bench-search: the SearchEngine benchmark (issue 3 "Performance") and the crash writer used by
// the durability test.
//
//   bench-search [--docs N]          bulk ingest vs raw SQLite ceiling, match and terms-agg latency
//   bench-search profile bulk|raw|match [--docs N] [--keep DIR]
//                                    one phase only, for `valgrind --tool=callgrind` (instruction
//                                    counts are repeatable on the shared machine; wall time is not)
//   bench-search crash-writer DIR    index docs forever into DIR, printing each acknowledged _id
import Foundation
import SearchEngine

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "crash-writer" {
    guard arguments.count == 2 else {
        FileHandle.standardError.write(Data("usage: bench-search crash-writer DIR\n".utf8))
        exit(2)
    }
    CrashWriter.run(dataPath: arguments[1])
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
