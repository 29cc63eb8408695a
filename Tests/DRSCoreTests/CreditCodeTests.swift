import DRSCore
import Testing

@Suite("统一社会信用代码 (GB 32100-2015)")
struct CreditCodeTests {
    @Test func acceptsAValidCode() throws {
        #expect(try CreditCode.validate("91350100M000100Y43") == "91350100M000100Y43")
        #expect(try CreditCode.validate(" 91350100m000100y43 ") == "91350100M000100Y43")
    }

    @Test func completesGeneratedCodes() throws {
        let code = CreditCode.completing("9111000010000000" + "0")
        #expect(code.count == 18)
        #expect(try CreditCode.validate(code) == code)
    }

    @Test func explainsWhatIsWrong() {
        #expect(throws: CreditCode.Problem.wrongLength(17)) { try CreditCode.validate("91350100M000100Y4") }
        #expect(throws: CreditCode.Problem.badCheckCharacter(expected: "3", found: "4")) { try CreditCode.validate("91350100M000100Y44") }
        #expect(throws: CreditCode.Problem.invalidCharacter("I", position: 9)) { try CreditCode.validate("91350100I000100Y43") }
        #expect(CreditCode.Problem.badCheckCharacter(expected: "3", found: "4").message.contains("第18位"))
    }
}
