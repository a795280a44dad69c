import LabTestSupport
import JSONValue
import Testing
@testable import NodeServer

@Suite struct FilterPathTests {
    let response: JSON = ["took": 3, "timed_out": false,
                          "hits": ["total": ["value": 2, "relation": "eq"],
                                   "hits": [["_id": "1", "_source": ["a": 1]], ["_id": "2", "_source": ["a": 2]]]]]

    @Test func keepsNamedPathsThroughArrays() {
        #expect(FilterPath("hits.hits._id,took")!.apply(to: response).serialized() == #"{"took":3,"hits":{"hits":[{"_id":"1"},{"_id":"2"}]}}"#)
    }

    @Test func supportsWildcardsAndDoubleWildcards() {
        #expect(FilterPath("hits.to*.value")!.apply(to: response).serialized() == #"{"hits":{"total":{"value":2}}}"#)
        #expect(FilterPath("**.a")!.apply(to: response).serialized() == #"{"hits":{"hits":[{"_source":{"a":1}},{"_source":{"a":2}}]}}"#)
    }

    @Test func excludesWithMinus() {
        #expect(FilterPath("-hits,-timed_out")!.apply(to: response).serialized() == #"{"took":3}"#)
    }

    @Test func nothingMatchedGivesEmptyObject() {
        #expect(FilterPath("nope")!.apply(to: response).serialized() == "{}")
        let blank = FilterPath(" , ")
        #expect(blank == nil)
    }
}
