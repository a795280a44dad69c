import Testing
import JSONValue
@testable import SearchEngine

@Suite struct IndexNameTests {
    @Test(arguments: [
        ("Movies", "Invalid index name [Movies], must be lowercase"),
        ("a b", #"Invalid index name [a b], must not contain the following characters [ , ", *, \, <, |, ,, >, /, ?]"#),
        ("logs*", #"Invalid index name [logs*], must not contain the following characters [ , ", *, \, <, |, ,, >, /, ?]"#),
        ("a#b", "Invalid index name [a#b], must not contain '#'"),
        ("_hidden", "Invalid index name [_hidden], must not start with '_', '-', or '+'"),
        ("-x", "Invalid index name [-x], must not start with '_', '-', or '+'"),
        ("+x", "Invalid index name [+x], must not start with '_', '-', or '+'"),
        (".", "Invalid index name [.], must not be '.' or '..'"),
        ("..", "Invalid index name [..], must not be '.' or '..'"),
        (String(repeating: "a", count: 256), "Invalid index name [\(String(repeating: "a", count: 256))], index name is too long, (256 > 255)"),
        ("a:b", "Invalid index name [a:b], must not contain ':'"),
        // Case is checked last, as in `validateIndexName`.
        (String(repeating: "A", count: 256), "Invalid index name [\(String(repeating: "A", count: 256))], index name is too long, (256 > 255)"),
    ])
    func invalidNamesAreRefusedWithElasticsearchReasons(name: String, reason: String) throws {
        let engine = try SearchEngine(dataPath: nil)
        let error = #expect(throws: ElasticsearchError.self) { try engine.createIndex(name, body: nil) }
        #expect(error?.status == 400)
        #expect(error?.type == "invalid_index_name_exception")
        #expect(error?.reason == reason)
        #expect(error?.metadata == ["index_uuid": "_na_", "index": .string(name)])
    }

    @Test func invalidNameErrorBodyMatchesElasticsearch() throws {
        let engine = try SearchEngine(dataPath: nil)
        let error = #expect(throws: ElasticsearchError.self) { try engine.put("Movies", "1", "{}") }
        let expected = json(#"{"error":{"root_cause":[{"type":"invalid_index_name_exception","reason":"Invalid index name [Movies], must be lowercase","index_uuid":"_na_","index":"Movies"}],"type":"invalid_index_name_exception","reason":"Invalid index name [Movies], must be lowercase","index_uuid":"_na_","index":"Movies"},"status":400}"#)
        #expect(error?.body == expected)
        #expect(error?.body.serialized().hasPrefix(#"{"error":{"root_cause":[{"type":"invalid_index_name_exception","reason""#) == true)
    }

    @Test func validNamesPass() throws {
        for name in ["movies", "logs-2026.11.29", "filebeat-7.10.2-2026.11.29", ".kibana", "a_b", String(repeating: "a", count: 255)] {
            try IndexName.validate(name)
        }
    }

    @Test func expressionsResolveLikeElasticsearch() throws {
        let existing = ["logs-a", "logs-b", "movies", "metrics"]
        #expect(try IndexName.resolve("logs-*", existing: existing) == ["logs-a", "logs-b"])
        #expect(try IndexName.resolve("logs-*,movies", existing: existing) == ["logs-a", "logs-b", "movies"])
        #expect(try IndexName.resolve("_all", existing: existing) == ["logs-a", "logs-b", "metrics", "movies"])
        #expect(try IndexName.resolve("", existing: existing) == ["logs-a", "logs-b", "metrics", "movies"])
        #expect(try IndexName.resolve("*,-logs-b", existing: existing) == ["logs-a", "metrics", "movies"])
        #expect(try IndexName.resolve("nothing-*", existing: existing) == [])
        #expect(try IndexName.resolve("movies,nope", existing: existing, ignoreUnavailable: true) == ["movies"])
        let error = #expect(throws: ElasticsearchError.self) { try IndexName.resolve("movies,nope", existing: existing) }
        #expect(error?.type == "index_not_found_exception")
        #expect(error?.reason == "no such index [nope]")
        #expect(error?.metadata == ["resource.type": "index_or_alias", "resource.id": "nope", "index_uuid": "_na_", "index": "nope"])
        #expect(error?.status == 404)
    }
}
