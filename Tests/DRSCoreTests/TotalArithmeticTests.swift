import DRSCore
import Testing

/// Issue #11, finding 3: exact-decimal arithmetic is total. Whatever two figures a filer types, every
/// operation answers with a value or a reported overflow (nil / `DecimalOverflow`), never a trap.
@Suite("Total exact arithmetic")
struct TotalArithmeticTests {
    func d(_ text: String) -> ExactDecimal { (try? NumberInput.parse(text)) .flatMap { $0 } ?? .zero }

    @Test func rescalingDownIsExactOrNilNeverATrap() {
        // 12.3456 at one decimal: the old code hit `precondition(newScale > scale)` and crashed.
        #expect(d("12.3456").rescaled(to: 1) == nil)
        #expect(d("12.3000").rescaled(to: 1) == d("12.3"))
        #expect(ExactDecimal(units: 123_000, scale: 4).rescaled(to: 1)?.units == 123)
        #expect(d("1").rescaled(to: 37) == nil, "beyond the largest scale")
        #expect(d("1").rescaled(to: -1) == nil)
        #expect(ExactDecimal(units: .max, scale: 0).rescaled(to: 1) == nil, "overflow upwards is reported")
    }

    @Test func percentChangeAcceptsFiguresWithDifferentDecimals() {
        // The review page's case: this year 12.3456, last year 12.3 → +0.37073…% → +0.4%.
        #expect(d("12.3456").percentChange(from: d("12.3"))?.signedPercentText == "+0.4%")
        #expect(d("12.3").percentChange(from: d("12.3456"))?.signedPercentText == "-0.4%")
        #expect(d("175").percentChange(from: d("100"))?.signedPercentText == "+75.0%")
        #expect(d("100").percentChange(from: d("100.000001"))?.signedPercentText == "0.0%")
        #expect(d("-5").percentChange(from: d("-10"))?.signedPercentText == "+50.0%", "a change is relative to |last|")
        #expect(d("0.05").percentChange(from: d("1"), decimals: 2)?.signedPercentText == "-95.00%")
        #expect(d("5").percentChange(from: .zero) == nil, "no change against a zero")
        // Figures too far apart to align at one scale: nil, not a trap.
        let tiny = ExactDecimal(units: 1, scale: 36), huge = ExactDecimal(units: Int128.max / 3, scale: 0)
        #expect(huge.percentChange(from: tiny) == nil)
        #expect(tiny.percentChange(from: huge) == nil)
    }

    @Test func roundingToFewerPlacesGoesHalfAwayFromZero() {
        #expect(d("2.25").rounded(toPlaces: 1) == d("2.3"))
        #expect(d("-2.25").rounded(toPlaces: 1) == d("-2.3"))
        #expect(d("2.24").rounded(toPlaces: 1) == d("2.2"))
        #expect(d("2.2").rounded(toPlaces: 4) == d("2.2"))
    }

    @Test func theMantissaWithoutANegationIsNeverBuilt() {
        let half = ExactDecimal(units: Int128.min / 2, scale: 0)
        #expect(throws: DecimalOverflow.self) { try half.adding(half) }
        #expect(throws: DecimalOverflow.self) { try ExactDecimal(units: Int128.min / 2, scale: 0).multiplied(by: 2) }
        // Built directly anyway: negation and magnitude saturate, description still prints.
        let edge = ExactDecimal(units: .min, scale: 0)
        #expect(edge.negated().units == .max)
        #expect(edge.magnitude.units == .max)
        #expect(edge.description.hasPrefix("-170141183460469231731687303715884105728"))
    }

    @Test func anOutOfRangeScaleIsRefusedOrClampedNotTrapped() {
        #expect(ExactDecimal.checked(units: 1, scale: 37) == nil)
        #expect(ExactDecimal.checked(units: 1, scale: -1) == nil)
        #expect(ExactDecimal(units: 5, scale: 99).scale == ExactDecimal.maxScale)
    }

    @Test func cellValuesRoundAValueWithMoreThanSixDecimals() {
        var values = CellValues(count: 1)
        values[0] = ExactDecimal(units: 12_345_678_9, scale: 8)   // 1.23456789
        #expect(values[0] == d("1.234568"))
        values[0] = ExactDecimal(units: .max, scale: 0)
        #expect(values[0] != nil, "an impossible magnitude saturates instead of trapping")
    }

    @Test func numberInputRefusesWhatItCannotHoldWithAReason() throws {
        #expect(throws: NumberInput.Problem.self) { try NumberInput.parse("1e9999") }
        #expect(throws: NumberInput.Problem.self) { try NumberInput.parse("99999999999999999999999") }
        #expect(throws: NumberInput.Problem.self) { try NumberInput.parse("1e-9999") }
        #expect(throws: NumberInput.Problem.self) { try NumberInput.parse(String(repeating: "9", count: 100_000)) }
        #expect(try NumberInput.parse("0e9999") == .zero)
        #expect(try NumberInput.parse("１２．５") == d("12.5"))
    }
}
