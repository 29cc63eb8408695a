import DRSCore
import Testing

@Suite("Reading submission documents")
struct SubmissionReaderTests {
    let catalog = try! TinyCatalog.catalog()

    func problems(_ text: String) -> [InputProblem] {
        do { _ = try SubmissionReader.read(text, catalog: catalog); return [] } catch { return error.problems }
    }

    @Test func readsValuesAsTyped() throws {
        let doc = try SubmissionReader.read(#"{"form":"T1","year":2025,"values":{"01":{"cum":"1,234.5","cur":0.1,"prev":"１２"}},"explanations":{"01":"说明"}}"#, catalog: catalog)
        let form = catalog.form("T1")!
        #expect(doc.values[form.layout.slot(code: "01", column: "cum")!]?.description == "1234.5")
        #expect(doc.values[form.layout.slot(code: "01", column: "cur")!]?.description == "0.1")
        #expect(doc.values[form.layout.slot(code: "01", column: "prev")!]?.description == "12")
        #expect(doc.explanations["01"] == "说明")
    }

    @Test func readsGridMembers() throws {
        let doc = try SubmissionReader.read(#"{"form":"G1","year":2025,"values":{"01":{"cur":{"000000":"3","110000":"1"}}}}"#, catalog: catalog)
        #expect(doc.values.filledCount == 2)
    }

    @Test func unusableInputIsNamedWithItsPlace() {
        #expect(problems("{").first?.code == "malformed_json")
        #expect(problems("[]").first?.code == "not_an_object")
        #expect(problems(#"{"year":2025}"#).first?.code == "missing_form")
        #expect(problems(#"{"form":"X9","year":2025}"#).first?.code == "unknown_form")
        #expect(problems(#"{"form":"T1","year":2019}"#).first?.code == "year_not_covered")
        let unknown = problems(#"{"form":"T1","year":2025,"values":{"99":{"cur":"1"}}}"#)
        #expect(unknown.first?.path == "values.99")
        #expect(unknown.first?.code == "unknown_code")
        let abc = problems(#"{"form":"T1","year":2025,"values":{"01":{"cur":"abc"}}}"#)
        #expect(abc.first?.path == "values.01.cur")
        #expect(abc.first?.message == "「abc」不是数字")
        #expect(problems(#"{"form":"T1","year":2025,"values":{"01":{"cur":1e999}}}"#).first?.code == "too_large")
        #expect(problems(#"{"form":"T1","year":2025,"values":{"05":{"cum":"1"}}}"#).first?.code == "closed_column")
        #expect(problems(#"{"form":"T1","year":2025,"values":{"01":{"cur":true}}}"#).first?.code == "not_a_number")
        #expect(problems(#"{"form":"G1","year":2025,"values":{"01":{"cur":{"999999":"1"}}}}"#).first?.code == "unknown_member")
    }

    @Test func reportsEveryProblemAtOnce() {
        let all = problems(#"{"form":"T1","year":2025,"values":{"01":{"cur":"abc","cum":"x"},"77":{}}}"#)
        #expect(all.count == 3)
    }
}
