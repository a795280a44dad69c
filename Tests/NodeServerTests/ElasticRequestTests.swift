import Testing
@testable import NodeServer

/// The request target as the endpoints see it: the decoded path, its non-empty segments (cut on
/// the bytes, `%XX` decoded per segment so an escaped `/` stays inside its segment) and the
/// query parameters as Elasticsearch's `RestUtils` decodes them.
@Suite struct ElasticRequestTests {
    static func request(_ path: String, _ query: String? = nil) -> ElasticRequest {
        ElasticRequest(method: "GET", rawPath: path, rawQuery: query, body: [])
    }

    @Test(arguments: [
        ("/movies/_doc/3", ["movies", "_doc", "3"]),
        ("/", []),
        ("", []),
        ("//logs-2026.11.30//_doc/abcdefghijklmnopqrst/", ["logs-2026.11.30", "_doc", "abcdefghijklmnopqrst"]),
        ("/filmer/_doc/été-😀", ["filmer", "_doc", "été-😀"]),
    ])
    func plainPathsAreCutIntoTheirSegments(path: String, segments: [String]) {
        let request = Self.request(path)
        #expect(request.segments == segments)
        #expect(request.path == path)
    }

    @Test func escapedSegmentsAreDecodedOneByOne() {
        let request = Self.request("/my%2Findex/_doc/a%20b%C3%A9")
        #expect(request.segments == ["my/index", "_doc", "a bé"])
        #expect(request.path == "/my/index/_doc/a bé")
        // An invalid escape is left as sent.
        #expect(Self.request("/movies/_doc/100%").segments == ["movies", "_doc", "100%"])
    }

    @Test func queryParametersDecodePlusAndEscapesAndKeepTheLastRepeat() {
        let request = Self.request("/_search", "q=title:the+heat&pretty&filter_path=took%2Chits&q2=&size=1&size=2")
        #expect(request.parameters == ["q": "title:the heat", "pretty": "", "filter_path": "took,hits", "q2": "", "size": "2"])
        #expect(request.flag("pretty") && !request.flag("human"))
    }
}
