import Foundation
import SearchEngine

/// Writes small bulks forever and prints every `_id` only after its bulk returned successfully,
/// so whatever the parent process read from stdout was acknowledged (issue 3 "Durability").
enum CrashWriter {
    static func run(dataPath: String) -> Never {
        do {
            let engine = try SearchEngine(dataPath: dataPath)
            var batch = 0
            while true {
                var body = ""
                var ids: [String] = []
                for item in 0..<20 {
                    let id = "doc-\(batch)-\(item)"
                    ids.append(id)
                    body += #"{"index":{"_index":"crash","_id":"\#(id)"}}"# + "\n"
                    body += #"{"batch":\#(batch),"item":\#(item),"message":"acknowledged write \#(id)"}"# + "\n"
                }
                let response = try engine.bulk(try BulkRequest.parse(Array(body.utf8), defaultIndex: nil))
                guard response.body["errors"] == .bool(false) else {
                    FileHandle.standardError.write(Data("bulk failed: \(response.body)\n".utf8))
                    exit(1)
                }
                FileHandle.standardOutput.write(Data((ids.joined(separator: "\n") + "\n").utf8))
                batch += 1
            }
        } catch {
            FileHandle.standardError.write(Data("crash-writer: \(error)\n".utf8))
            exit(1)
        }
    }
}
