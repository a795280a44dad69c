import Foundation
import JSONValue
import LabTestSupport
import Testing
@testable import NodeServer

/// The scroll REST endpoints as curl sees them: the id in the path, the query or the body, and
/// Elasticsearch 7.10's answers to what they cannot serve.
@Suite(.serialized) struct ScrollEndpointTests {
    func json(_ text: String) -> JSON { (try? JSON(parsing: text)) ?? .null }

    @Test func scrollIdsArriveByPathQueryOrBody() async throws {
        try await LabNode.with { lab in
            for number in 1...3 {
                #expect(try await lab.curl("PUT", "/scrolled/_doc/\(number)?refresh=true", as: "admin", body: #"{"n":\#(number)}"#).status == 201)
            }
            let opened = try await lab.curl("POST", "/scrolled/_search?scroll=1m&size=1&sort=n&filter_path=_scroll_id,hits.hits._id", as: "admin")
            #expect(opened.status == 200)
            let id = try #require(try JSON(parsing: opened.body)["_scroll_id"]?.stringValue)
            #expect(opened.body == #"{"_scroll_id":"\#(id)","hits":{"hits":[{"_id":"1"}]}}"#)
            let byPath = try await lab.curl("GET", "/_search/scroll/\(id)?scroll=30s&filter_path=hits.hits._id", as: "admin")
            #expect(byPath.body == #"{"hits":{"hits":[{"_id":"2"}]}}"#)
            let byQuery = try await lab.curl("GET", "/_search/scroll?scroll_id=\(id)&filter_path=hits.hits._id", as: "admin")
            #expect(byQuery.body == #"{"hits":{"hits":[{"_id":"3"}]}}"#)
            // The end: no hits, the same total.
            let byBody = try await lab.curl("POST", "/_search/scroll", as: "admin", body: #"{"scroll":"1m","scroll_id":"\#(id)"}"#)
            #expect(try JSON(parsing: byBody.body)["hits"] == json(#"{"total":{"value":3,"relation":"eq"},"max_score":null,"hits":[]}"#))

            let unknown = try await lab.curl("POST", "/_search/scroll", as: "admin", body: #"{"scroll_id":"\#(id)","size":3}"#)
            #expect(unknown.status == 400)
            #expect(unknown.body == #"{"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"Unknown parameter [size] in request body or parameter is of the wrong type[VALUE_NUMBER_INT] "}],"type":"illegal_argument_exception","reason":"Unknown parameter [size] in request body or parameter is of the wrong type[VALUE_NUMBER_INT] "},"status":400}"#)
            let missing = try await lab.curl("POST", "/_search/scroll", as: "admin", body: #"{"scroll":"1m"}"#)
            #expect(missing.body == #"{"error":{"root_cause":[{"type":"action_request_validation_exception","reason":"Validation Failed: 1: scrollId is missing;"}],"type":"action_request_validation_exception","reason":"Validation Failed: 1: scrollId is missing;"},"status":400}"#)
            let from = try await lab.curl("POST", "/scrolled/_search?scroll=1m&from=1", as: "admin")
            #expect(from.status == 400)
            #expect(from.body.contains(#""reason":"Validation Failed: 1: using [from] is not allowed in a scroll context;""#))

            let cleared = try await lab.curl("DELETE", "/_search/scroll", as: "admin", body: #"{"scroll_id":["\#(id)"]}"#)
            #expect(cleared.status == 200)
            #expect(cleared.body == #"{"succeeded":true,"num_freed":1}"#)
            let none = try await lab.curl("DELETE", "/_search/scroll/_all", as: "admin")
            #expect(none.status == 404)
            #expect(none.body == #"{"succeeded":true,"num_freed":0}"#)
            let noIds = try await lab.curl("DELETE", "/_search/scroll", as: "admin")
            #expect(noIds.body == #"{"error":{"root_cause":[{"type":"action_request_validation_exception","reason":"Validation Failed: 1: no scroll ids specified;"}],"type":"action_request_validation_exception","reason":"Validation Failed: 1: no scroll ids specified;"},"status":400}"#)
            let gone = try await lab.curl("GET", "/_search/scroll/\(id)", as: "admin")
            #expect(gone.status == 404)
            #expect(gone.body.hasPrefix(#"{"error":{"root_cause":[{"type":"search_context_missing_exception","reason":"No search context found for id ["#))
        }
    }
}
