@testable import DRSApplication
@testable import DRSCore
@testable import DRSServer
import DRSAPI
import Foundation
import Testing

/// A save's answer is written straight into the JSON tree (`ReportJSON.swift`); it must be the tree the
/// generated types give through `APIBodyEncoding.json`, member for member and in the same order, for
/// reports of every shape the catalog's checks produce.
@Suite("A save's answer written directly")
struct ReportJSONTests {
    /// Reports of every form: blank (every required cell missing), and figures broken on purpose
    /// against a last year four times their size, some rows explained, so errors, year-over-year warnings
    /// (explained and not), rounding notes, grid members and last year's cells all occur.
    static func catalogReports() throws -> [CheckReport] {
        var reports: [CheckReport] = []
        let units = Dictionary(uniqueKeysWithValues: CompleteFigures.catalog.catalog.survey.units.map { ($0.id, $0) })
        for form in CompleteFigures.catalog.orderedForms {
            reports.append(form.check(CellValues(count: form.layout.count)))
            let clean = form.cellMap(SampleSubmissions.clean(form, seed: 11, units: units))
            var lastYearMap: [String: String] = [:]
            var broken: [String: String] = [:]
            for (index, (key, value)) in clean.sorted(by: { $0.key < $1.key }).enumerated() {
                guard let figure = Decimal(string: value) else { continue }
                lastYearMap[key] = "\(figure * 4 + 3)"
                switch index % 4 {
                case 0: broken[key] = "\(figure * 7 + 1)"
                case 1: broken[key] = "-\(figure + 2)"
                case 2: broken[key] = "\(figure + Decimal(4) / 1000)"
                default: broken[key] = value
                }
            }
            let codes = Set(form.layout.cells.map(\.key.code)).sorted()
            let explanations = Dictionary(uniqueKeysWithValues: codes.enumerated()
                .filter { $0.offset % 3 == 0 }.map { ($0.element, "系统更换，口径调整") })
            reports.append(form.check(try form.values(fromInput: broken), lastYear: try form.values(fromInput: lastYearMap),
                                      explanations: explanations))
            reports.append(form.check(try form.values(fromInput: clean)))
        }
        return reports
    }

    /// The shapes a catalog may not happen to produce: every optional member present and absent.
    static func handMadeReport() -> CheckReport {
        func cell(_ member: String?, _ value: String?, lastYear: Bool) -> Violation.Cell {
            Violation.Cell(code: "02", column: "cur", member: member, name: "数据存储总量", value: value, lastYear: lastYear)
        }
        func violation(_ severity: Severity, _ origin: Rule.Origin, seed: String?, member: String?, needs: Bool, explanation: String?) -> Violation {
            Violation(form: "E5", ruleID: "E5-01", expression: "01>=02", seed: seed, severity: severity, origin: origin, column: "cur",
                      columnName: "本年实际", member: member, memberName: member.map { "成员\($0)" },
                      cells: [cell(member, "120.5", lastYear: false), cell(nil, nil, lastYear: true)],
                      message: "数据生产总量[01]=120 应 ≥ 150（本年实际）", needsExplanation: needs, explanation: explanation)
        }
        return CheckReport(
            errors: [violation(.error, .printed, seed: "01≥02", member: "350000", needs: false, explanation: nil)],
            warnings: [violation(.warning, .template, seed: nil, member: nil, needs: true, explanation: nil),
                       violation(.warning, .template, seed: nil, member: nil, needs: true, explanation: "新增业务"),
                       violation(.warning, .implied, seed: nil, member: "C", needs: false, explanation: "not shown")],
            notes: [violation(.note, .implied, seed: nil, member: nil, needs: false, explanation: nil)],
            missing: [MissingCell(key: "01:cum", code: "01", column: "cum", member: nil, name: "数据生产总量", columnName: "截至本年", memberName: nil),
                      MissingCell(key: "02:cur@C", code: "02", column: "cur", member: "C", name: "数据存储总量", columnName: "本年实际",
                                  memberName: "制造业")])
    }

    @Test("every report is the tree of the generated types, in the same order and to the byte")
    func reportsMatchTheGeneratedTypes() throws {
        let reports = try Self.catalogReports() + [Self.handMadeReport(), CheckReport()]
        var seen = (errors: 0, warnings: 0, notes: 0, missing: 0, unexplained: 0, members: 0, lastYear: 0)
        for report in reports {
            let typed = try APIBodyEncoding.json(try report.body)
            #expect(report.json == typed)
            #expect(report.json.serializedBytes() == typed.serializedBytes())
            let all = report.errors + report.warnings + report.notes
            seen.errors += report.errors.count
            seen.warnings += report.warnings.count
            seen.notes += report.notes.count
            seen.missing += report.missing.count
            seen.unexplained += all.filter { $0.needsExplanation && $0.explanation == nil }.count
            seen.members += all.filter { $0.member != nil }.count
            seen.lastYear += all.flatMap(\.cells).filter(\.lastYear).count
        }
        // The catalog's reports alone reach each shape, so a change in the checks that stops producing
        // one is seen here rather than leaving it to the hand-made report.
        let catalog = try Self.catalogReports()
        let catalogViolations = catalog.flatMap { $0.errors + $0.warnings + $0.notes }
        #expect(catalog.contains { !$0.errors.isEmpty } && catalog.contains { !$0.warnings.isEmpty } && catalog.contains { !$0.missing.isEmpty })
        #expect(catalogViolations.contains { $0.needsExplanation })
        #expect(catalogViolations.flatMap(\.cells).contains { $0.lastYear })
        #expect(seen.errors > 0 && seen.warnings > 0 && seen.notes > 0 && seen.missing > 0)
        #expect(seen.unexplained > 0 && seen.members > 0 && seen.lastYear > 0)
    }

    @Test("a save's answer is the document's SaveResult")
    func saveResultMatchesTheGeneratedType() throws {
        for report in [Self.handMadeReport(), CheckReport()] {
            let saved = SavedDraft(id: UUID(), version: 7, status: .draft, changedCells: ["01:cum", "02:cur"])
            let outcome = SaveDraft.Outcome(saved: saved, report: report)
            let typed = try APIBodyEncoding.json(Components.Schemas.SaveResult(
                version: 7, status: "draft", changedCells: 2, report: try report.body))
            #expect(SubmissionController.saveResult(outcome) == typed)
            #expect(SubmissionController.saveResult(outcome).serializedBytes() == typed.serializedBytes())
        }
    }
}
