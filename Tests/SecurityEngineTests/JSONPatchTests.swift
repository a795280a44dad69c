import JSONValue
import Testing
@testable import SecurityEngine

/// RFC 6902 operations used by PATCH (reference §6.3b).
@Suite struct JSONPatchTests {
    static let document: JSON = ["a": ["b": [1, 2]], "c": "x"]

    @Test(arguments: [
        (#"[{"op":"add","path":"/a/b/-","value":3}]"#, #"{"a":{"b":[1,2,3]},"c":"x"}"#),
        (#"[{"op":"add","path":"/a/b/0","value":0}]"#, #"{"a":{"b":[0,1,2]},"c":"x"}"#),
        (#"[{"op":"remove","path":"/c"}]"#, #"{"a":{"b":[1,2]}}"#),
        (#"[{"op":"replace","path":"/a/b/1","value":9}]"#, #"{"a":{"b":[1,9]},"c":"x"}"#),
        (#"[{"op":"move","from":"/c","path":"/d"}]"#, #"{"a":{"b":[1,2]},"d":"x"}"#),
        (#"[{"op":"copy","from":"/a/b","path":"/e"}]"#, #"{"a":{"b":[1,2]},"c":"x","e":[1,2]}"#),
        (#"[{"op":"test","path":"/c","value":"x"},{"op":"add","path":"/f~1g","value":true}]"#, #"{"a":{"b":[1,2]},"c":"x","f/g":true}"#),
    ])
    func applies(patch: String, expected: String) throws {
        #expect(try JSONPatch.apply(try JSON(parsing: patch), to: Self.document).serialized() == expected)
    }

    @Test(arguments: [
        (#"[{"op":"test","path":"/c","value":"y"}]"#, "value differs from expectations at /c"),
        (#"[{"op":"remove","path":"/zz"}]"#, "no such path: /zz"),
        (#"[{"op":"jump","path":"/c"}]"#, "unknown operation 'jump'"),
        (#"{"op":"add"}"#, "patch must be a JSON array of operations"),
        (#"[{"op":"add","path":"c","value":1}]"#, "invalid JSON pointer 'c'"),
    ])
    func fails(patch: String, message: String) throws {
        #expect(throws: JSONPatch.Failure(message: message)) { try JSONPatch.apply(try JSON(parsing: patch), to: Self.document) }
    }
}
