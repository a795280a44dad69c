import Foundation
import FuzzSupport
import JSONValue
import SearchEngine

/// The `_bulk` NDJSON body (`BulkRequest.parse`) and its execution on an in-memory engine, as
/// `POST /_bulk` and `POST /{index}/_bulk` do.
///
/// Properties beyond "does not crash": an executed bulk answers one item per parsed action, in
/// order, each with the action's name as its key and a status; `errors` is true exactly when an
/// item carries an `error` object (a delete of a missing id is a 404 without one, as in ES).
let engine: SearchEngine = {
    do { return try SearchEngine(dataPath: nil) } catch { fatalError("fuzz-bulk-ndjson setup: \(error)") }
}()

/// Inputs executed so far; every 256 the indices are dropped so the in-memory database stays small.
nonisolated(unsafe) var executed = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBulk(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    for defaultIndex in [nil, "fuzz-default"] as [String?] {
        guard let request = try? BulkRequest.parse(bytes, defaultIndex: defaultIndex) else { continue }
        guard let response = try? engine.bulk(request) else { continue }
        let items = response.body["items"]?.arrayValue ?? []
        fuzzCheck(items.count == request.items.count, "\(request.items.count) actions answered with \(items.count) items")
        var failed = false
        for (item, answer) in zip(request.items, items) {
            let result = answer[item.action.rawValue]
            fuzzCheck(result != nil, "item for a \(item.action.rawValue) action answered as \(answer.serialized())")
            let status = result?["status"]?.intValue ?? 0
            fuzzCheck(status >= 200 && status < 600, "item status \(status)")
            failed = failed || result?["error"] != nil
            fuzzCheck((result?["error"] != nil) == (status >= 300 && !(item.action == .delete && status == 404)),
                      "item status \(status) with error \(String(describing: result?["error"]))")
        }
        fuzzCheck(response.body["errors"]?.boolValue == failed, "errors flag \(String(describing: response.body["errors"])) for failed=\(failed)")
    }
    executed += 1
    if executed % 256 == 0, !engine.indexNames.isEmpty {
        _ = try? engine.deleteIndex(engine.indexNames.joined(separator: ","))
    }
    return 0
}
