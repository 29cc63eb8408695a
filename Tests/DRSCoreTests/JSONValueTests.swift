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

    /// Texts are decoded without a generic validator: ASCII as it is, anything else kept only when
    /// it is valid UTF-8, with or without an escape before the bad bytes.
    @Test func refusesTextsThatAreNotUTF8() throws {
        #expect(try JSONValue.parse(bytes: Array(#"["数据","�","a\n数"]"#.utf8)) == .array([.string("数据"), .string("\u{FFFD}"), .string("a\n数")]))
        let quote = UInt8(ascii: "\"")
        for bad: [UInt8] in [[0xFF], [0xE6, 0x95], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] {
            for text in [[quote] + bad + [quote], [quote] + Array(#"\n"#.utf8) + bad + [quote], [quote, 0x61] + bad + [0x62, quote]] {
                #expect(throws: JSONSyntaxError.self, "\(text)") { try JSONValue.parse(bytes: text) }
                #expect(throws: JSONSyntaxError.self, "\(text)") { try JSONValue.parse(bytes: Array(#"{"k":"#.utf8) + text + [UInt8(ascii: "}")]) }
            }
        }
    }

    /// The reader's UTF-8 decision against the standard library's validator, on 20,000 seeded byte
    /// strings made mostly of multi-byte lead and continuation bytes (where validators go wrong).
    @Test func decidesUTF8AsTheStandardLibraryDoes() throws {
        var random = SampleSubmissions.Generator(seed: 11)
        let pool: [UInt8] = [0x61, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE6, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x95, 0xA0, 0x9F, 0x8F, 0x90]
        var valid = 0
        for _ in 0..<20_000 {
            let bytes = (0..<random.int(in: 1...6)).map { _ in pool[random.int(in: 0...(pool.count - 1))] }
            let expected = String(validating: bytes, as: UTF8.self)
            let text = [UInt8(ascii: "\"")] + bytes + [UInt8(ascii: "\"")]
            let read = try? JSONValue.parse(bytes: text)
            #expect(read == expected.map { JSONValue.string($0) }, "\(bytes)")
            let escaped = [UInt8(ascii: "\"")] + Array(#"\t"#.utf8) + bytes + [UInt8(ascii: "\"")]
            #expect((try? JSONValue.parse(bytes: escaped)) == expected.map { JSONValue.string("\t" + $0) }, "\(bytes)")
            if expected != nil { valid += 1 }
        }
        #expect(valid > 300, "the strings should include valid ones too")
    }

    /// A repeated key is found whether the object is small (keys compared one by one) or large (a set).
    @Test func findsARepeatedKeyInSmallAndLargeObjects() {
        for size in [1, 2, 7, 8, 9, 30] {
            let keys = (0..<size).map { "k\($0)" }
            let unique = "{" + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
            #expect((try? JSONValue.parse(unique))?.objectMembers?.count == size)
            for repeated in Set([keys[0], keys[size / 2], keys[size - 1]]) {
                let text = "{" + (keys + [repeated, "tail"]).map { "\"\($0)\":1" }.joined(separator: ",") + "}"
                do {
                    _ = try JSONValue.parse(text)
                    Issue.record("\(size) keys: \(repeated) twice was accepted")
                } catch {
                    #expect(error.code == "duplicate_key")
                    #expect(error.path == repeated)
                }
            }
        }
    }

    /// The stored maps' writer gives the general writer's text with keys sorted, and reads back.
    @Test func writesAnObjectOfTextsWithSortedKeys() throws {
        let map = ["02:cur@110000": "5", "01:cum": "1200.5", "说明": "第一行\n\"引号\"", "01:cur": "", "Z": "\u{1}"]
        let text = JSONValue.serializedTextObject(map)
        #expect(text == JSONValue.object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }).serialized())
        #expect(try JSONValue.parseTextObject(text) == map)
        #expect(JSONValue.serializedTextObject([:]) == "{}")
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
