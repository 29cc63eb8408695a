@testable import DRSCore
import Testing

/// `NumberInput.plainFigure`, the fast reading of `-?digits(.digits)?`, gives exactly what the general
/// reading gives, or leaves the text to it (and its reasons).
@Suite("Plain figures read fast, as the general reading reads them")
struct PlainFigureTests {
    @Test func plainFiguresMatchTheGeneralReading() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789")
        var texts = ["0", "-0", "0.0", "-0.000", "007", "1.50", "100", "12.3400", "0.000001", "0.0000001", "1.0000000",
                     "999999999999999", "1000000000000000", "1000000000000001", "-1000000000000000", "9999999999999999",
                     "99999999999999999", "0000000000000000000012", "1.", ".5", "-", "", "1e3", "1,234", " 1", "+1", "１２",
                     "1234567890123456.000000000000000000000", "1234567890123456.0000000000000000000000000000000"]
        for _ in 0..<5_000 {
            let integer = String((0..<Int.random(in: 1...18, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let fraction = String((0..<Int.random(in: 0...9, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let sign = Bool.random(using: &generator) ? "-" : ""
            texts.append(sign + integer + (fraction.isEmpty ? "" : "." + fraction))
        }
        var fast = 0
        for text in texts {
            let general = Result { () throws(NumberInput.Problem) in try NumberInput.parseAnyForm(text, allowPercentSign: false) }
            if let plain = NumberInput.plainFigure(text) {
                fast += 1
                #expect(try general.get() == plain, "\(text)")
                #expect(try general.get()?.description == plain.description, "\(text)")
            }
            #expect(Result { () throws(NumberInput.Problem) in try NumberInput.parse(text) } == general, "\(text)")
        }
        #expect(fast > 2_000)   // the fast reading did take most of them
    }
}
