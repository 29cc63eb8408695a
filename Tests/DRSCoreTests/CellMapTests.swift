import DRSCore
import Foundation
import Testing

/// A cell map is read one of two ways, and neither lets a cell vanish without a word.
@Suite struct CellMapTests {
    let form: CompiledForm

    init() throws {
        form = try #require(try TinyCatalog.catalog().forms["T1"])
    }

    @Test func storedFiguresReportTheCellsThisCatalogDoesNotDefine() throws {
        var reported: [UnknownCells] = []
        let values = form.values(fromStored: ["01:cur": "10", "99:cur": "5", "01:zzz": "1", "04:cur": "abc"]) { reported.append($0) }
        // The cells the form defines are read…
        let slot = try #require(form.layout.slot(code: "01", column: "cur", member: nil))
        #expect(values[slot]?.description == "10")
        // …and the rest are handed over once, by kind, sorted.
        #expect(reported == [UnknownCells(formID: "T1", undefined: ["01:zzz", "99:cur"], notNumbers: ["04:cur"])])
        let note = try #require(reported.first?.storedNote)
        #expect(note.contains("存储的数据中有本版目录未定义的单元格：01:zzz、99:cur"))
        #expect(note.contains("04:cur"))
    }

    @Test func storedFiguresWithoutStrangersReportNothing() {
        var called = false
        _ = form.values(fromStored: ["01:cur": "10", "02:cum": "3"]) { _ in called = true }
        #expect(!called)
    }

    @Test func aFilersUnknownCellRefusesTheMapNamingIt() {
        #expect(throws: UnknownCells(formID: "T1", undefined: ["99:cur"])) {
            try form.values(fromInput: ["01:cur": "10", "99:cur": "5"])
        }
        do {
            _ = try form.values(fromInput: ["1:cur": "10"])
            Issue.record("an unknown cell was accepted")
        } catch {
            #expect(error.description == "表T1没有这些单元格：1:cur")
        }
    }

    @Test func aFilersKnownCellsAreRead() throws {
        let values = try form.values(fromInput: ["01:cur": "10"])
        #expect(form.cellMap(values) == ["01:cur": "10"])
    }

    @Test func emptyOrMalformedKeysAreNoCells() {
        #expect(CellKey(parsing: "") == nil)
        #expect(CellKey(parsing: "@110000") == nil)
        #expect(CellKey(parsing: "01") == nil)
        #expect(CellKey(parsing: "01:cur@110000") == CellKey(code: "01", column: "cur", member: "110000"))
    }
}

/// Two cells that would be stored under one text (`09:a:b` is row 09's column `a:b` and row `09:a`'s
/// column `b`) would overwrite each other's figures: such a catalog is refused on load.
@Suite struct StoredKeyCollisionTests {
    @Test func cellsSharingAStoredTextAreACatalogError() throws {
        let indicators = #"""
            "indicators":[{"code":"09","name":"甲","unit":"TB","columns":["a:b"]},{"code":"09:a","name":"乙","unit":"TB","columns":["b"]}],
            """#
        let text = TinyCatalog.form.replacingOccurrences(of: #""indicators":["#, with: indicators + #""unused":["#)
        let form = try JSONDecoder().decode(Form.self, from: Data(text.utf8))
        #expect(form.allIndicators.map(\.code) == ["09", "09:a"])
        do {
            _ = try CellLayout(form: form, codeLists: [:])
            Issue.record("two cells stored as 09:a:b were accepted")
        } catch {
            #expect(error.reason.contains("09:a:b"))
        }
    }
}
