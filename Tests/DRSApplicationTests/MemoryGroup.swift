import DRSApplication
import DRSWorkflow
import Foundation

/// A headquarters, its subsidiaries' submissions and its own report, kept as the real store keeps
/// them: the group's report moves by the lifecycle table, and consolidated figures are a draft save.
actor MemoryGroup: GroupRepository {
    let groupID = UUID()
    var subsidiaries: [GroupSubsidiary] = []
    var report: SubmissionSnapshot?
    var record = ConsolidationRecord()
    private(set) var audit: [String] = []

    init(report: SubmissionSnapshot? = nil) { self.report = report }

    /// Adds a subsidiary whose submission (if `status` is given) holds `cells`.
    func add(_ name: String, region: String, _ status: SubmissionStatus?, _ cells: [String: String] = [:], version: Int = 3) {
        let submission = status.map { SubmissionSnapshot(id: UUID(), status: $0, version: version, cells: TestForms.stored(cells)) }
        subsidiaries.append(GroupSubsidiary(unitID: UUID(), name: name, regionCode: region, submission: submission))
    }

    /// A subsidiary's submission moves on (a filer saved, a reviewer stepped).
    func change(_ name: String, to status: SubmissionStatus, _ cells: [String: String]) {
        guard let index = subsidiaries.firstIndex(where: { $0.name == name }), var submission = subsidiaries[index].submission else { return }
        submission.status = status
        submission.version += 1
        submission.cells = TestForms.stored(cells)
        subsidiaries[index].submission = submission
    }

    func snapshot(unitID: UUID, formID: String, year: Int) async throws -> SubmissionSnapshot? {
        unitID == groupID ? report : subsidiaries.first { $0.unitID == unitID }?.submission
    }

    func takeStep(_ step: SubmissionStep, id: UUID, expectedVersion: Int, reason: String?, namingStep: Bool,
                  actor: Actor) async throws -> SubmissionSnapshot {
        guard var current = report, current.id == id else { throw StepRefusal.invalidTransition(from: .notStarted) }
        guard current.version == expectedVersion else { throw StepRefusal.versionConflict(current: current.version) }
        guard let next = SubmissionLifecycle.transition(step).status(after: current.status) else { throw StepRefusal.invalidTransition(from: current.status) }
        current.status = next
        current.version += 1
        report = current
        audit.append("\(step.chineseName)：\(reason ?? "")")
        return current
    }

    func subsidiaries(groupID: UUID, formID: String, year: Int) async throws -> [GroupSubsidiary] { subsidiaries }

    func consolidationRecord(groupID: UUID, formID: String, year: Int) async throws -> ConsolidationRecord { record }

    func keepConsolidationRecord(_ record: ConsolidationRecord, groupID: UUID, formID: String, year: Int) async throws {
        self.record = record
        self.record.isStored = true
    }

    func keepOwnFigures(_ cells: [String: String], groupID: UUID, formID: String, year: Int, actor: Actor) async throws {
        let old = TestForms.map(record.ownCells)
        for cell in Set(old.keys).union(cells.keys).sorted() where old[cell] != cells[cell] { audit.append("总部本部:\(cell)") }
        record.ownCells = TestForms.stored(cells)
        record.version += 1
        record.isStored = true
    }

    func groupSubmission(groupID: UUID, formID: String, year: Int) async throws -> SubmissionSnapshot {
        if let report { return report }
        let created = SubmissionSnapshot(id: UUID(), status: .notStarted, version: 0)
        report = created
        return created
    }

    func writeConsolidated(_ cells: [String: String], into submission: SubmissionSnapshot, actor: Actor) async throws -> SavedDraft {
        guard var current = report, current.id == submission.id else { throw DraftRefusal.notEditable(.notStarted) }
        guard let next = SubmissionLifecycle.transition(.saveDraft).status(after: current.status) else { throw DraftRefusal.notEditable(current.status) }
        guard current.version == submission.version else { throw DraftRefusal.versionConflict(current: current.version, differing: []) }
        current.status = next
        current.version += 1
        current.cells = TestForms.stored(cells)
        report = current
        audit.append("集团汇总")
        return SavedDraft(id: current.id, version: current.version, status: next, changedCells: cells.keys.sorted())
    }

    func reportCells() -> [String: String] { TestForms.map(report?.cells ?? "{}") }
}
