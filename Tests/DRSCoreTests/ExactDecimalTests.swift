import DRSCore
import Testing

@Suite("Exact decimals")
struct ExactDecimalTests {
    func d(_ text: String) -> ExactDecimal { try! NumberInput.parse(text)! }

    @Test func tenthsAddUpExactly() throws {
        #expect(try d("0.1").adding(d("0.2")) == d("0.3"))
        #expect(try d("0.1").adding(d("0.2")).description == "0.3")
    }

    @Test func comparesAcrossScales() {
        #expect(d("1.50") == d("1.5"))
        #expect(d("2") > d("1.999999"))
        #expect(d("-0.000001") < .zero)
        #expect(d("100") == ExactDecimal(100))
    }

    @Test func multipliesExactly() throws {
        #expect(try d("0.5").multiplied(by: d("0.5")) == d("0.25"))
        #expect(try d("1234.5").multiplied(by: ExactDecimal(100)) == d("123450"))
    }

    @Test func equalDecimalsHashAlike() {
        #expect(Set([d("1.50"), d("1.5"), d("1.500000")]).count == 1)
    }

    @Test func reportsOverflowInsteadOfWrapping() {
        let huge = ExactDecimal(units: Int128.max / 2, scale: 0)
        #expect(throws: DecimalOverflow.self) { try huge.adding(huge).adding(huge) }
        #expect(throws: DecimalOverflow.self) { try huge.multiplied(by: ExactDecimal(3)) }
    }

    @Test func formatsForPeople() {
        #expect(d("1234567.5").grouped == "1,234,567.5")
        #expect(d("-1234").grouped == "-1,234")
        #expect(d("0.000001").description == "0.000001")
        #expect(d("-0.5").description == "-0.5")
    }
}
