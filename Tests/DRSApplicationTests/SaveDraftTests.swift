import DRSApplication
import DRSCore
import DRSWorkflow
import Foundation
import Testing

/// The filer's save over a repository in memory: the statuses a save starts from are the lifecycle
/// table's, a stale version is refused with the cells that differ, and the checks are of what was sent.
@Suite("Save-draft use case")
struct SaveDraftTests {
    static let filer = Actor(userID: nil, username: "beijing-data", address: "127.0.0.1")

    func request(_ form: CompiledForm, _ cells: [String: String], version: Int? = 2) throws -> SaveDraft.Request {
        SaveDraft.Request(unitID: UUID(), form: form, year: 2025, version: version, document: try TestForms.document(form, cells), actor: Self.filer)
    }

    @Test func aFirstSaveStartsTheDraftAndChecksWhatWasSent() async throws {
        let form = try TestForms.form("T1")
        let drafts = MemoryDrafts(status: .notStarted, version: 0)
        var checked: CellValues?
        let outcome = try await SaveDraft.run(try request(form, ["01:cur": "1,200.5"], version: 0), in: drafts) { sent in
            checked = sent.values
            return CheckReport()
        }
        #expect(outcome.saved.status == .draft && outcome.saved.version == 1)
        #expect(outcome.saved.changedCells == ["01:cur"])
        #expect(checked.map { TestForms.text(form, $0, "01:cur") } == "1200.5")
        #expect(await drafts.storedCells() == ["01:cur": "1200.5"], "the store keeps the cell map of the figures read")
    }

    @Test func draftsAndReturnedFormsKeepTheirStatus() async throws {
        let form = try TestForms.form("T1")
        for status in [SubmissionStatus.draft, .returned] {
            let drafts = MemoryDrafts(status: status, version: 2, cells: ["01:cur": "5"])
            let outcome = try await SaveDraft.run(try request(form, ["01:cur": "6", "07:cur": "3"]), in: drafts) { _ in CheckReport() }
            #expect(outcome.saved.status == status && outcome.saved.version == 3)
            #expect(outcome.saved.changedCells == ["01:cur", "07:cur"])
        }
    }

    @Test func aFormUnderReviewOrVerifiedIsNotSaved() async throws {
        let form = try TestForms.form("T1")
        for status in [SubmissionStatus.submitted, .approved, .verified] {
            let drafts = MemoryDrafts(status: status, version: 2)
            var checked = false
            do {
                _ = try await SaveDraft.run(try request(form, ["01:cur": "6"]), in: drafts) { _ in checked = true; return CheckReport() }
                Issue.record("a \(status) form was saved")
            } catch let failure as SaveDraft.Failure {
                #expect(failure == .notEditable(status))
            }
            #expect(await drafts.writes == 0 && !checked, "refused: nothing written, nothing checked")
        }
        let failure = SaveDraft.Failure.notEditable(.submitted)
        #expect(failure.code == "not_editable" && failure.isConflict)
        #expect(failure.message == "此表已提交，不能修改；如需修改请联系审核人退回。")
    }

    @Test func aStaleVersionIsRefusedWithTheCellsThatDiffer() async throws {
        let form = try TestForms.form("T1")
        let drafts = MemoryDrafts(status: .draft, version: 5, cells: ["01:cur": "5", "07:cur": "3"])
        do {
            _ = try await SaveDraft.run(try request(form, ["01:cur": "6", "07:cur": "3"], version: 4), in: drafts) { _ in CheckReport() }
            Issue.record("a stale version was saved")
        } catch let failure as SaveDraft.Failure {
            #expect(failure == .versionConflict(current: 5, edited: 4, differing: [DifferingCell(cell: "01:cur", yours: "6", current: "5")]))
            #expect(failure.code == "version_conflict" && failure.isConflict)
            #expect(failure.message == "此表已被他人修改（当前版本 5，您编辑的是版本 4），未保存。请核对下列单元格后重新加载。")
        }
        #expect(await drafts.writes == 0)
    }

    @Test func withoutAVersionNothingIsLookedUp() async throws {
        let form = try TestForms.form("T1")
        let drafts = MemoryDrafts(status: .draft, version: 2)
        await #expect(throws: SaveDraft.Failure.missingVersion) {
            try await SaveDraft.run(try request(form, ["01:cur": "6"], version: nil), in: drafts) { _ in CheckReport() }
        }
        #expect(await drafts.lookups == 0)
        #expect(SaveDraft.Failure.missingVersion.message == "缺少 version（所编辑的版本号）" && !SaveDraft.Failure.missingVersion.isConflict)
    }

    @Test func aSaveThatChangesNothingWritesNothing() async throws {
        let form = try TestForms.form("T1")
        let drafts = MemoryDrafts(status: .draft, version: 2, cells: ["01:cur": "5"])
        let outcome = try await SaveDraft.run(try request(form, ["01:cur": "5"]), in: drafts) { _ in CheckReport() }
        #expect(outcome.saved.version == 2 && outcome.saved.changedCells.isEmpty)
        #expect(await drafts.writes == 0)
    }

    @Test func onlyABasicInformationFormStoresAnswers() throws {
        let basic = try TestForms.form("B1"), indicators = try TestForms.form("T1")
        let answers: [String: JSONValue] = ["109": .string("91110000100000000A"), "101": .string("某单位")]
        let basicDraft = SaveDraft.draft(try TestForms.document(basic, [:], answers: answers), of: basic)
        #expect(basicDraft.answers == #"{"101":"某单位","109":"91110000100000000A"}"#, "keys in order: equal answers store equal text")
        let indicatorsDraft = SaveDraft.draft(try TestForms.document(indicators, ["01:cur": "5"], answers: answers, explanations: ["01:cur": "新建系统"]),
                                              of: indicators)
        #expect(indicatorsDraft == Draft(cells: ["01:cur": "5"], explanations: ["01:cur": "新建系统"], answers: nil))
    }

    @Test func aFilersUnknownCellNeverReachesTheUseCase() throws {
        let form = try TestForms.form("T1")
        #expect(throws: UnknownCells(formID: "T1", undefined: ["99:cur"])) { try TestForms.values(form, ["01:cur": "5", "99:cur": "1"]) }
    }
}
