import DRSCore
import Testing

/// Issue #11, finding 11: JSON is read strictly, so the value checked and the value stored are the
/// same in every layer. A repeated key or a number with a leading zero is an error naming the key.
@Suite("Strict JSON")
struct StrictJSONTests {
    func failure(_ text: String) -> JSONSyntaxError? {
        do { _ = try JSONValue.parse(text); return nil } catch { return error }
    }

    @Test func aRepeatedKeyIsAnErrorNamingItsPath() throws {
        let error = try #require(failure(#"{"version":3,"values":{"01":{"cur":"1","cur":"9"}}}"#))
        #expect(error.code == "duplicate_key")
        #expect(error.path == "values.01.cur")
        #expect(error.reason.contains("values.01.cur"))
        #expect(error.column == 40, "points at the second key")
        #expect(failure(#"{"a":1,"a":1}"#)?.code == "duplicate_key", "even with the same value")
        #expect(failure(#"[{"a":1},{"a":2}]"#) == nil, "the same key in different objects is fine")
    }

    @Test(arguments: ["01", "-01", "00", "[1, 007]", #"{"v":01}"#, "1.", "-", "1e", "1.5e+"])
    func aNonCanonicalNumberIsAnInvalidNumber(_ text: String) {
        #expect(failure(text)?.code == "invalid_number", "\(text)")
    }

    @Test(arguments: ["+1", ".5", "0x10", "NaN", "Infinity"])
    func whatIsNotJSONAtAllIsMalformed(_ text: String) {
        #expect(failure(text) != nil, "\(text)")
    }

    @Test func aLeadingZeroErrorNamesTheKey() throws {
        let error = try #require(failure(#"{"values":{"02":{"cur":0123}}}"#))
        #expect(error.code == "invalid_number")
        #expect(error.reason.contains("values.02.cur"))
        #expect(error.reason.contains("0123"))
    }

    @Test(arguments: ["0", "-0", "0.5", "-0.5", "10", "1.5e3", "1E-2", "-12.3456"])
    func canonicalNumbersAreKeptAsWritten(_ text: String) throws {
        #expect(try JSONValue.parse("[\(text)]") == .array([.number(text)]))
    }

    @Test func deepNestingIsRefusedNotAStackOverflow() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(failure(deep)?.code == "too_deep")
        let objects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(failure(objects)?.code == "too_deep")
    }
}
