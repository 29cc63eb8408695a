@testable import DRSExchange
import Testing

@Suite("What filers put in cells")
struct TypedInputTests {
    @Test(arguments: [
        ("12.300000000000001", "12.3"),
        ("1.1000000000000001", "1.1"),
        ("0.30000000000000004", "0.3"),
        ("-2.6999999999999997", "-2.7"),
        ("99999.999999999999", "100000"),
        ("1.2345678901234567E+3", "1234.56789012346"),
        ("1234.5", "1234.5"),           // short texts stay as written
        ("1E-3", "1E-3"),
        ("abc", "abc"),
    ])
    func excelNumberText(_ raw: String, _ expected: String) {
        #expect(TypedInput.excelNumberText(raw) == expected)
    }

    @Test(arguments: [
        ("1", "1900-01-01"), ("59", "1900-02-28"), ("60", "1900-02-29"), ("61", "1900-03-01"),
        ("25569", "1970-01-01"), ("45658", "2025-01-01"), ("45658.75", "2025-01-01"), ("42156", "2015-06-01"),
    ])
    func dateSerials(_ serial: String, _ date: String) {
        #expect(TypedInput.dateText(fromSerial: serial) == date)
    }

    @Test func otherDateSystems() {
        #expect(TypedInput.dateText(fromSerial: "0", date1904: true) == "1904-01-01")
        #expect(TypedInput.dateText(fromSerial: "44196", date1904: true) == "2025-01-01")
        #expect(TypedInput.dateText(fromSerial: "2025-06-30") == "2025-06-30")
        #expect(TypedInput.dateText(fromSerial: "2025-06-30T08:00:00") == "2025-06-30")
        #expect(TypedInput.dateText(fromSerial: "abc") == nil)
    }

    @Test func placeholders() {
        for text in ["", "  ", "-", "—", "——", "---", "/", "无", "－"] { #expect(TypedInput.isPlaceholder(text), "\(text)") }
        for text in ["0", "1", "-1", "a"] { #expect(!TypedInput.isPlaceholder(text), "\(text)") }
    }

    @Test func choices() {
        let options = [AnswerInput.Choice(code: "1", label: "是", withText: false, exclusive: false),
                       AnswerInput.Choice(code: "9", label: "其他", withText: true, exclusive: false)]
        #expect(AnswerInput.choice("1", options: options) == .string("1"))
        #expect(AnswerInput.choice("是", options: options) == .string("1"))
        #expect(AnswerInput.choice("1 是", options: options) == .string("1"))
        #expect(AnswerInput.choice("（1）是", options: options) == .string("1"))
        #expect(AnswerInput.choice("9:车载终端", options: options) == .object([("code", .string("9")), ("text", .string("车载终端"))]))
        #expect(AnswerInput.choice("其他：车载终端", options: options) == .object([("code", .string("9")), ("text", .string("车载终端"))]))
        #expect(AnswerInput.choice("9", options: options) == .string("9"))
        #expect(AnswerInput.choice("7", options: options) == .string("7"), "kept as typed for the check to name")
        #expect(AnswerInput.pieces("1, 3、4；5 6\n9:车载 终端") == ["1", "3", "4", "5", "6", "9:车载 终端"])
    }
}
