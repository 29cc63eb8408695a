import DRSCore
import Testing

@Suite("JSON reader")
struct JSONValueTests {
    @Test func keepsNumbersAsWritten() throws {
        let json = try JSONValue.parse(#"{"a": 0.1, "b": [1e3, -2], "c": "文本", "d": null, "e": true}"#)
        #expect(json["a"] == .number("0.1"))
        #expect(json["b"] == .array([.number("1e3"), .number("-2")]))
        #expect(json["c"] == .string("文本"))
        #expect(json["d"] == .null)
    }

    @Test func saysWhereTheSyntaxIsWrong() {
        do {
            _ = try JSONValue.parse("{\n  \"form\": \"P2\",\n  \"year\" 2025\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 10)
            #expect(error.description.contains("第3行"))
        }
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":}", "nul", "\"abc", "{} x", "{\"a\" 1}", "01x"])
    func refusesMalformedText(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
    }

    /// The stored maps' reader: an object of texts as a dictionary, another shape as nil, and the
    /// general reader's error for what is not JSON (a repeated key included).
    @Test func readsAnObjectOfTextsStraightIntoAMap() throws {
        #expect(try JSONValue.parseTextObject(#" {"01|cur": "12.50", "说明": "新\u4E1A\n务", "e": ""} "#) == ["01|cur": "12.50", "说明": "新业\n务", "e": ""])
        #expect(try JSONValue.parseTextObject("{}") == [:])
        for other in [#"{"a": 1}"#, #"{"a": "x", "b": null}"#, #"["a"]"#, #""a""#, #"{"a": {"b": "c"}}"#] {
            #expect(try JSONValue.parseTextObject(other) == nil, "\(other)")
        }
        for broken in [#"{"a": "x", "a": "y"}"#, #"{"a": "x",}"#, #"{"a": "x"} {}"#, "", #"{"a": "x"#] {
            var general: JSONSyntaxError?
            do { _ = try JSONValue.parse(broken) } catch { general = error }
            #expect(throws: try #require(general)) { try JSONValue.parseTextObject(broken) }
        }
    }

    @Test func decodesEscapesAndSurrogates() throws {
        #expect(try JSONValue.parse(#""\u6570\u636e \ud83d\ude00 \n""#) == .string("数据 😀 \n"))
    }

    @Test func roundTrips() throws {
        let text = #"{"form":"P2","values":{"01":{"cum":"1.5"}},"list":[1,2.50,null]}"#
        #expect(try JSONValue.parse(text).serialized() == text)
    }

    @Test func limitsNesting() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
    }

    @Test func escapesOnlyWhatJSONRequires() throws {
        let value = JSONValue.object([("说明", .string("第一行\n\t\"引号\" \\ /路径 \u{1}")), ("k", .array([.null, .bool(false)]))])
        let text = value.serialized()
        #expect(text == #"{"说明":"第一行\n\t\"引号\" \\ /路径 \u0001","k":[null,false]}"#)
        #expect(try JSONValue.parse(text) == value)
        #expect(Array(text.utf8) == value.serializedBytes())
    }

    @Test func printsPrettyWithTwoSpaces() {
        let value = JSONValue.object([("a", .array([.number("1"), .object([])])), ("b", .object([("c", .string("d"))]))])
        #expect(value.serialized(pretty: true) == "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": {\n    \"c\": \"d\"\n  }\n}")
    }
}
