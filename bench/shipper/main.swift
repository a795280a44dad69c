// Shipper-side throughput: N 200-byte lines from a file → LogShipper → _bulk over loopback HTTP
// to an in-process sink that only counts items (so the node is not the bottleneck). The real
// file → mTLS node benchmark of issue 7 builds on this once the node exists.
import Foundation
import Hummingbird
import Logging
import Shipper
import Synchronization

let lineCount = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 200_000
let directory = NSTemporaryDirectory() + "shipper-bench-" + UUID().uuidString
try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }

// Written in chunks so that the benchmark's own memory does not hide the shipper's.
FileManager.default.createFile(atPath: directory + "/logs/bench.log", contents: nil)
let logFile = FileHandle(forWritingAtPath: directory + "/logs/bench.log")!
var generator = AccessLogGenerator(seed: 1)
for chunkStart in stride(from: 0, to: lineCount, by: 10_000) {
    var text = ""
    for _ in chunkStart ..< min(lineCount, chunkStart + 10_000) {
        var line = generator.line()
        if line.utf8.count < 199 { line += String(repeating: " ", count: 199 - line.utf8.count) }
        text += String(line.utf8.prefix(199))! + "\n"
    }
    logFile.write(Data(text.utf8))
}
try logFile.close()

let received = Mutex(0)
let router = Router()
router.get("/") { _, _ in #"{"version":{"number":"7.10.2"}}"# }
router.post("/_bulk") { request, _ -> String in
    var count = 0
    for try await buffer in request.body {
        count += buffer.withUnsafeReadableBytes { raw in
            var found = 0
            var cursor = raw.baseAddress!
            let end = raw.baseAddress! + raw.count
            while cursor < end, let hit = memchr(cursor, 0x0A, end - cursor) {
                found += 1
                cursor = UnsafeRawPointer(hit) + 1
            }
            return found
        }
    }
    received.withLock { $0 += count / 2 }
    return #"{"took":1,"errors":false}"#
}
let port = Mutex<Int?>(nil)
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                      onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
                      logger: Logger(label: "sink", factory: { _ in SwiftLogNoOpLogHandler() }))
let server = Task { try await app.run() }
while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }

let config = try ShipperConfig.parse("""
    filebeat.inputs: [{type: log, paths: ["\(directory)/logs/*.log"]}]
    output.elasticsearch: {hosts: ["http://127.0.0.1:\(port.withLock { $0! })"], bulk_max_size: 1600}
    """, file: "bench.yml", baseDirectory: directory)
let stop = StopSignal()
let started = ContinuousClock.now
let shipping = Task {
    let shipper = try LogShipper(config: config, dataPath: directory + "/data", logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
    try await shipper.run(stop: stop)
}
while received.withLock({ $0 }) < lineCount { try await Task.sleep(for: .milliseconds(5)) }
let elapsed = ContinuousClock.now - started
stop.stop()
try await shipping.value
server.cancel()
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM") } ?? "VmHWM: ?"
print(String(format: "%d lines of 200 bytes in %.2f s = %.0f lines/s (%.1f MB/s); peak RSS %@", lineCount, seconds,
             Double(lineCount) / seconds, Double(lineCount * 200) / seconds / 1e6, String(peak.dropFirst(6)).trimmingCharacters(in: .whitespaces)))
