import Foundation
import JSONValue
import Logging
import Synchronization

/// Where non-indexable events go when `non_indexable_policy.dead_letter_file.path` is set —
/// the file counterpart of Filebeat's dead-letter index (reference §3.1, §3.7): one NDJSON
/// record per event with the status, the node's reason and the original document.
final class DeadLetterFile: Sendable {
    let path: String
    private let lock = Mutex(())

    init(path: String) { self.path = path }

    func record(document: ArraySlice<UInt8>, status: Int, reason: String, logger: Logger) {
        var line: [UInt8] = []
        let header: JSON = ["@timestamp": .string(Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)).iso8601()),
                            "status": .int(Int64(status)), "reason": .string(reason)]
        header.write(to: &line)
        line.removeLast()
        line.append(contentsOf: #","event":"#.utf8)
        line.append(contentsOf: document)
        line.append(contentsOf: "}\n".utf8)
        lock.withLock { _ in
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            guard let handle = FileHandle(forWritingAtPath: path) else {
                logger.error("Cannot open the dead-letter file \(path)")
                return
            }
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: line)
        }
    }
}
