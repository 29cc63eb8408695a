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

    /// The text the digits make, written the plain way: the mantissa's digits, zeros before them
    /// up to the point, the point, and the sign; trailing decimal zeros dropped first.
    static func plainText(units: Int128, scale: Int) -> String {
        var u = units, s = scale
        while s > 0 && u % 10 == 0 { u /= 10; s -= 1 }
        var digits = String(u.magnitude)
        if s > 0 {
            if digits.count <= s { digits = String(repeating: "0", count: s - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -s))
        }
        return u < 0 ? "-" + digits : digits
    }

    @Test("Every mantissa and scale is written as its plain text, at the edges of 64 and 128 bits too")
    func writesEveryValueAsItsPlainText() {
        var mantissas: [Int128] = [0, 1, -1, 9, 10, -10, 100, 120, 1_000_001, 123_456_789, Int128(Int64.max), Int128(Int64.min),
                                   Int128(UInt64.max), -Int128(UInt64.max), Int128(UInt64.max) + 1, -Int128(UInt64.max) - 1,
                                   Int128.max, Int128.min + 1]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            mantissas.append(Int128(Int64.random(in: .min ... .max, using: &generator)) >> Int.random(in: 0...62, using: &generator))
        }
        for units in mantissas {
            for scale in [0, 1, 2, 3, 5, 18, 19, 20, 21, 36] {
                let value = ExactDecimal(units: units, scale: scale)
                #expect(value.description == Self.plainText(units: units, scale: scale), "\(units) × 10^-\(scale)")
                #expect(value.normalized == value && value.normalized.description == value.description)
            }
        }
        #expect(ExactDecimal(units: 5, scale: 36).description == "0." + String(repeating: "0", count: 35) + "5")
        #expect(ExactDecimal(units: -1_000, scale: 2).description == "-10")
        #expect(ExactDecimal(units: 0, scale: 7).description == "0")
    }

    @Test func formatsForPeople() {
        #expect(d("1234567.5").grouped == "1,234,567.5")
        #expect(d("-1234").grouped == "-1,234")
        #expect(d("0.000001").description == "0.000001")
        #expect(d("-0.5").description == "-0.5")
    }
}
