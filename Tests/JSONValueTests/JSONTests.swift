import Testing
@testable import JSONValue

@Suite struct JSONParsingTests {
    @Test func parsesScalarsAndKeepsIntegerFloatDistinction() throws {
        let value = try JSON(parsing: #"{"a":1,"b":1.5,"c":-0,"d":1e3,"e":true,"f":null,"g":"x"}"#)
        #expect(value["a"] == .int(1))
        #expect(value["b"] == .double(1.5))
        #expect(value["c"] == .int(0))
        #expect(value["d"] == .double(1000))
        #expect(value["e"] == .bool(true))
        #expect(value["f"] == .null)
        #expect(value["g"] == .string("x"))
    }

    @Test func keepsKeyOrderWhenSerializing() throws {
        let text = #"{"status":"OK","message":"'readall' updated.","z":[1,2,{"y":null}],"a":{}}"#
        #expect(try JSON(parsing: text).serialized() == text)
    }

    @Test func objectEqualityIgnoresKeyOrder() throws {
        #expect(try JSON(parsing: #"{"a":1,"b":2}"#) == JSON(parsing: #"{"b":2,"a":1}"#))
        #expect(try JSON(parsing: #"{"a":1,"b":2}"#) != JSON(parsing: #"{"a":1,"b":3}"#))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSON(parsing: #""a\"b\\c\/d\n\u00e9\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\né😀"))
        #expect(value.serialized() == #""a\"b\\c/d\né😀""#)
    }

    @Test func escapesControlCharactersLikeJackson() {
        #expect(JSON.string("\u{01}\t").serialized() == #""\u0001\t""#)
        // Strings with nothing to escape are copied whole; one escape anywhere takes the slow path.
        #expect(JSON.string("plain ascii, é and 😀").serialized() == #""plain ascii, é and 😀""#)
        #expect(JSON.string("ends with a quote\"").serialized() == #""ends with a quote\"""#)
        #expect(JSON.string("\u{1F}").serialized() == #""\u001F""#)
        #expect(JSON.string("").serialized() == "\"\"")
    }

    @Test(arguments: [Int64.min, -1_000_000_007, -10, -9, -1, 0, 1, 9, 10, 99, 100, 1_234_567_890, Int64.max])
    func integersAreWrittenAsTheirDecimalDigits(value: Int64) {
        #expect(JSON.int(value).serialized() == String(value))
    }

    @Test func reportsLineAndColumnOfErrors() {
        // Jackson reports the position after the offending character (`{a:1}` → column 3).
        #expect(throws: JSONParseError(message: "Unexpected character ('x' (code 120)): was expecting double-quote to start field name", line: 2, column: 4, offset: 4)) {
            try JSON(parsing: "{\n  x: 1}")
        }
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"abc", "[1] 2", "\"\u{01}\"", "-", "1e"])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSON(parsing: text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSON(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func boundsNestingDepth() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSON(parsing: deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try JSON(parsing: fine).arrayValue?.count == 1)
    }

    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        #expect(try JSON(parsing: #"{"a":1,"b":2,"a":3}"#).serialized() == #"{"a":3,"b":2}"#)
    }
}

@Suite struct JSONValueTests {
    @Test func formatsDoublesLikeJava() {
        #expect(JSON.javaDoubleText(12) == "12.0")
        #expect(JSON.javaDoubleText(12.5) == "12.5")
        #expect(JSON.javaDoubleText(0.001) == "0.001")
        #expect(JSON.javaDoubleText(1e7) == "1.0E7")
        #expect(JSON.javaDoubleText(1.5e-5) == "1.5E-5")
        #expect(JSON.javaDoubleText(-2.5e20) == "-2.5E20")
        #expect(JSON.javaDoubleText(.nan) == "null")
    }

    @Test func objectRemovalKeepsOrder() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        #expect(object.removeValue(forKey: "b") == .int(2))
        object["d"] = 4
        #expect(JSON.object(object).serialized() == #"{"a":1,"c":3,"d":4}"#)
        #expect(object["c"] == .int(3))
    }

    /// Objects switch from a linear scan to a key index past `indexThreshold` keys; order,
    /// lookups, replacement, removal and equality must not notice the switch.
    @Test(arguments: [3, JSONObject.indexThreshold, JSONObject.indexThreshold + 1, 40])
    func objectsBehaveTheSameAtEverySize(_ size: Int) throws {
        var object = JSONObject()
        for number in 0..<size { object["k\(number)"] = .int(Int64(number)) }
        object["k0"] = "replaced"
        #expect(object.count == size)
        #expect(object.keys == (0..<size).map { "k\($0)" })
        #expect(object["k0"] == "replaced")
        #expect(object["k\(size - 1)"] == .int(Int64(size - 1)))
        #expect(object["missing"] == nil)
        #expect(object.removeValue(forKey: "k1") == .int(1))
        #expect(object["k2"] == .int(2))
        object["k1"] = 1
        #expect(object.keys.last == "k1")
        let reversed = JSONObject(object.reversed().map { ($0.key, $0.value) })
        #expect(reversed == object)
        #expect(reversed.hashValue == object.hashValue)
        let text = JSON.object(object).serialized()
        #expect(try JSON(parsing: text).serialized() == text)
    }

    @Test func parsesIntegersAtTheInt64Limits() throws {
        #expect(try JSON(parsing: "[-0,123456789012345678,-123456789012345678,9223372036854775807,-9223372036854775808,9223372036854775808]")
            == [0, 123_456_789_012_345_678, -123_456_789_012_345_678, .int(.max), .int(.min), .double(9_223_372_036_854_775_808)])
    }

    @Test func accessorsConvertNumbers() {
        #expect(JSON.double(3).intValue == 3)
        #expect(JSON.double(3.5).intValue == nil)
        #expect(JSON.int(3).doubleValue == 3)
        #expect(JSON.string("3").intValue == nil)
    }
}

@Suite struct JSONPrettyPrintingTests {
    @Test func printsLikeElasticsearchPretty() throws {
        let value = try JSON(parsing: #"{"name":"n1","version":{"number":"7.10.2"},"hits":[{"_id":"3"},1],"e":[],"o":{}}"#)
        #expect(value.prettySerialized() == """
        {
          "name" : "n1",
          "version" : {
            "number" : "7.10.2"
          },
          "hits" : [
            {
              "_id" : "3"
            },
            1
          ],
          "e" : [ ],
          "o" : { }
        }

        """)
    }
}

/// Invalid UTF-8 inside strings, worded and located as Jackson reports it (Elasticsearch's
/// `json_parse_exception` reasons).
@Suite struct JSONInvalidUTF8Tests {
    @Test func badStartAndMiddleBytesAreNamedAtTheirPosition() {
        let start = #expect(throws: JSONParseError.self) { try JSON(parsing: Array(#"{"a":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)) }
        #expect(start?.message == "Invalid UTF-8 start byte 0xff")
        #expect(start?.column == 7)
        let middle = #expect(throws: JSONParseError.self) { try JSON(parsing: Array(#"{"a":"x"#.utf8) + [0xC3, 0x41] + Array(#""}"#.utf8)) }
        #expect(middle?.message == "Invalid UTF-8 middle byte 0x41")
        #expect(middle?.column == 9)
    }
}
