import Foundation
import Logging
import Synchronization

/// Filebeat-like log lines (`2026-11-29T17:04:05.123Z  INFO  message  {metadata}`) to stderr
/// (`-e`) or to a file under path.data.
struct LineLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let sink: LogSink

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let extra = all.isEmpty ? "" : "\t{" + all.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        sink.write("\(stamp)\t\(event.level.rawValue.uppercased())\t\(event.message)\(extra)\n")
    }

    static func makeLogger(level: String, toStderr: Bool, file: String) -> Logger {
        let sink = toStderr ? LogSink(handle: .standardError) : LogSink(path: file)
        let levels: [String: Logger.Level] = ["debug": .debug, "info": .info, "warning": .warning, "error": .error]
        return Logger(label: "beats-shipper") { _ in LineLogHandler(logLevel: levels[level] ?? .info, sink: sink) }
    }
}

/// Where log lines go; one writer at a time.
final class LogSink: Sendable {
    private let handle: Mutex<FileHandle>

    init(handle: FileHandle) { self.handle = Mutex(handle) }

    convenience init(path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = FileHandle(forWritingAtPath: path) ?? .standardError
        _ = try? handle.seekToEnd()
        self.init(handle: handle)
    }

    func write(_ line: String) {
        handle.withLock { $0.write(Data(line.utf8)) }
    }
}
