import Foundation
import FuzzSupport
import JSONValue
import SearchEngine

/// The `_msearch` NDJSON body (`MultiSearchRequest.parse`) run on a small in-memory index, and
/// the same bytes as a scroll id, as `POST /_msearch` and `POST /_search/scroll` read them.
///
/// Properties beyond "does not crash": a parsed body answers one response per search, in order,
/// each with a status and either hits (200) or an error object (4xx/5xx); a scroll id that does
/// not parse is refused with 400 "Cannot parse scroll id", one that parses but was never issued
/// answers 404 `search_context_missing_exception`.
let engine: SearchEngine = {
    do {
        let engine = try SearchEngine(dataPath: nil)
        for (id, source) in [("1", #"{"title":"Quick Fox","year":1999,"tags":["a","b"]}"#), ("2", #"{"title":"Lazy Dog","year":2005}"#)] {
            _ = try engine.index("movies", id: id, source: Array(source.utf8))
        }
        return engine
    } catch {
        fatalError("fuzz-msearch-ndjson setup: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultiSearch(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    for defaultIndex in [nil, "movies"] as [String?] {
        guard let request = try? MultiSearchRequest.parse(bytes, defaultIndex: defaultIndex, parameters: ["rest_total_hits_as_int": "false"]) else { continue }
        let responses = engine.multiSearch(request).body["responses"]?.arrayValue ?? []
        fuzzCheck(responses.count == request.items.count, "\(request.items.count) searches answered with \(responses.count) responses")
        for response in responses {
            let status = response["status"]?.intValue ?? 0
            fuzzCheck((status == 200) == (response["hits"] != nil), "status \(status) with hits \(String(describing: response["hits"]))")
            fuzzCheck(status == 200 || (status >= 400 && status < 600 && response["error"]?["type"] != nil), "status \(status): \(response.serialized())")
        }
    }
    if let text = String(bytes: bytes, encoding: .utf8) {
        do {
            _ = try engine.continueScroll(text, keepAlive: nil, owner: nil)
            fuzzCheck(false, "a scroll id nobody opened answered: \(text)")
        } catch {
            fuzzCheck(error.status == 404 && error.body["error"]?["root_cause"]?[0]?["type"] == "search_context_missing_exception"
                      || error == .illegalArgument("Cannot parse scroll id"), "scroll id \(text) refused with \(error)")
        }
    }
    return 0
}
