import DRSCore
import Testing

@Suite("Reading typed figures")
struct NumberInputTests {
    @Test(arguments: [
        ("1234.5", "1234.5"), ("1,234.5", "1234.5"), ("１２３４．５", "1234.5"), ("  42 ", "42"), ("-3", "-3"),
        ("+7", "7"), ("1.5e3", "1500"), ("0.000001", "0.000001"), (".5", "0.5"), ("5.", "5"), ("1,234,567", "1234567"),
        ("０", "0"), ("１，２３４", "1234"), ("1.50", "1.5"), ("1000000000000000", "1000000000000000"),
    ])
    func accepts(_ input: String, _ expected: String) throws {
        let value = try NumberInput.parse(input)
        #expect(value?.description == expected)
    }

    @Test func emptyTextIsAnEmptyCell() throws {
        #expect(try NumberInput.parse("") == nil)
        #expect(try NumberInput.parse("　 ") == nil)
    }

    @Test(arguments: ["abc", "12,3a", "1..2", "-", ".", "1e", "0x10", "NaN", "inf", "1 2", "12元", "1,2,3"])
    func refusesWhatIsNotANumber(_ input: String) {
        #expect(throws: NumberInput.Problem.self) { try NumberInput.parse(input) }
    }

    @Test func namesTheReason() {
        #expect(throws: NumberInput.Problem.notANumber("abc")) { try NumberInput.parse("abc") }
        #expect(throws: NumberInput.Problem.misplacedGrouping("1,23")) { try NumberInput.parse("1,23") }
        #expect(throws: NumberInput.Problem.tooManyDecimals("0.1234567", allowed: 6)) { try NumberInput.parse("0.1234567") }
        #expect(throws: NumberInput.Problem.tooLarge("1e999")) { try NumberInput.parse("1e999") }
        #expect(throws: NumberInput.Problem.tooLarge("10000000000000001")) { try NumberInput.parse("10000000000000001") }
        #expect(NumberInput.Problem.notANumber("abc").message == "「abc」不是数字")
    }

    @Test func percentSignOnlyWhereTheUnitIsPercent() throws {
        #expect(try NumberInput.parse("45%", allowPercentSign: true)?.description == "45")
        #expect(throws: NumberInput.Problem.self) { try NumberInput.parse("45%") }
    }
}
