import Foundation
import Logging
import Synchronization
import Testing
@testable import Shipper

/// A fresh directory under the system temp dir, removed when the test ends.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "shipper-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path + "/logs", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var logs: String { path + "/logs" }
    var data: String { path + "/data" }

    func append(_ text: String, to name: String) throws {
        let file = logs + "/" + name
        if !FileManager.default.fileExists(atPath: file) { FileManager.default.createFile(atPath: file, contents: nil) }
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }
}

/// Log lines captured for assertions ("File was truncated. ...").
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "test") { _ in CapturingHandler(capture: self) }
    }

    func contains(_ text: String) -> Bool { lines.withLock { $0.contains { $0.contains(text) } } }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            capture.lines.withLock { $0.append("\(event.level) \(event.message)") }
        }
    }
}

/// A config for tests: one `log` input on `directory/logs/*.log`, the fake node over HTTP, fast
/// scans and backoff so that tests take milliseconds.
func testConfig(port: Int, directory: TemporaryDirectory, input: String = "", output: String = "") throws -> ShipperConfig {
    try ShipperConfig.parse("""
        filebeat.inputs:
          - type: log
            paths: ["\(directory.logs)/*.log"]
            scan_frequency: 50ms
        \(input)
        output.elasticsearch:
          hosts: ["http://127.0.0.1:\(port)"]
          index: "certlab-logs-%{+yyyy.MM.dd}"
          backoff.init: 10ms
          backoff.max: 40ms
        \(output)
        """, file: "test.yml", baseDirectory: directory.path)
}

/// Runs a shipper until `condition` holds (polling, at most `timeout`), then stops it and
/// waits for it to finish; returns its metrics.
@discardableResult
func ship(_ config: ShipperConfig, dataPath: String, logger: Logger = LogCapture().logger, timeout: Duration = .seconds(90),
          while running: @Sendable () async throws -> Void = {}, until condition: @Sendable () -> Bool) async throws -> ShipperMetrics.Snapshot {
    let stop = StopSignal()
    let task = Task {
        let shipper = try LogShipper(config: config, dataPath: dataPath, agent: AgentInfo(name: "lab-host", hostname: "lab-host"),
                                     logger: logger, idleWait: .milliseconds(10))
        try await shipper.run(stop: stop)
        return shipper.metrics.snapshot
    }
    try await running()
    let deadline = ContinuousClock.now + timeout
    while !condition() && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    stop.stop()
    return try await task.value
}

/// Waits (at most `timeout`) until `condition` holds.
func eventually(timeout: Duration = .seconds(90), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
}
