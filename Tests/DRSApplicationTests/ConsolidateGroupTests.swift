import DRSApplication
import DRSCore
import DRSWorkflow
import Foundation
import Testing

/// Headquarters consolidation over a group in memory: which subsidiaries count, how their figures
/// combine with the headquarters' own, what is written and recorded, and when it is refused.
@Suite("Consolidate-group use case")
struct ConsolidateGroupTests {
    static let headquarters = Actor(userID: nil, username: "group-hq", address: "127.0.0.1")

    func group(_ repository: MemoryGroup) throws -> ConsolidateGroup.Group {
        ConsolidateGroup.Group(groupID: repository.groupID, form: try TestForms.form("T1"), year: 2025)
    }

    func read(_ form: CompiledForm) -> ConsolidateGroup.StoredFigures {
        { cells, _ in form.values(fromStored: TestForms.map(cells)) { _ in } }
    }

    /// A group with one subsidiary in every status, and the headquarters' own figures kept.
    func groupInEveryStatus(report: SubmissionSnapshot? = nil) async throws -> (MemoryGroup, ConsolidateGroup.State) {
        let repository = MemoryGroup(report: report)
        await repository.add("甲", region: "110000", .approved, ["01:cur": "30", "05:cur": "40", "07:cur": "5"])
        await repository.add("乙", region: "310000", .verified, ["01:cur": "10", "05:cur": "10"])
        await repository.add("丙", region: "320000", .submitted, ["01:cur": "1000"])
        await repository.add("丁", region: "330000", .draft, ["01:cur": "1000"])
        await repository.add("戊", region: "340000", .returned, ["01:cur": "1000"])
        await repository.add("己", region: "350000", nil)
        let form = try TestForms.form("T1")
        let state = try await ConsolidateGroup.keepOwnFigures(try TestForms.values(form, ["01:cur": "10", "05:cur": "20", "07:cur": "3"]), version: 0,
                                                              of: try group(repository), actor: Self.headquarters, in: repository, read: read(form))
        return (repository, state)
    }

    @Test func approvedAndVerifiedSubsidiariesCountAndNoOthers() async throws {
        let (_, state) = try await groupInEveryStatus()
        let form = state.group.form
        #expect(state.subsidiaries.filter(\.isIncluded).map(\.name) == ["甲", "乙"])
        #expect(state.lineage.map(\.name) == ["甲", "乙"] && state.lineage.map(\.status) == ["approved", "verified"])
        #expect(TestForms.text(form, state.own, "01:cur") == "10")
        #expect(TestForms.text(form, state.preview, "01:cur") == "50", "sums add: own 10 + 甲 30 + 乙 10")
        #expect(TestForms.text(form, state.preview, "05:cur") == "30", "a share by its base: (10·20 + 30·40 + 10·10) / 50")
        #expect(TestForms.text(form, state.preview, "07:cur") == "3", "no meaningful total: the headquarters' own")
        #expect(!state.stale, "never consolidated, so nothing to be stale")
    }

    @Test func consolidatingWritesTheGroupsReportAndRecordsTheLineage() async throws {
        let (repository, before) = try await groupInEveryStatus()
        let form = before.group.form
        let after = try await ConsolidateGroup.run(try group(repository), actor: Self.headquarters, in: repository, read: read(form))
        let report = try #require(await repository.report)
        #expect(report.status == .draft && report.version == 1, "a draft save of the group's report")
        #expect(await repository.reportCells() == form.cellMap(before.preview))
        #expect(after.record.lineage == before.lineage && after.record.resultVersion == 1)
        #expect(after.record.consolidatedBy == "group-hq" && after.record.consolidatedAt != nil)
        #expect(after.record.version == before.record.version + 1 && !after.stale)
        #expect(await repository.record == after.record)

        await repository.change("丙", to: .approved, ["01:cur": "100"])
        let moved = try await ConsolidateGroup.state(of: try group(repository), in: repository, read: read(form))
        #expect(moved.stale && moved.subsidiaries.filter(\.isIncluded).map(\.name) == ["甲", "乙", "丙"])
        #expect(TestForms.text(form, moved.preview, "01:cur") == "150")
        await repository.change("甲", to: .returned, ["01:cur": "30"])
        let returned = try await ConsolidateGroup.state(of: try group(repository), in: repository, read: read(form))
        #expect(returned.lineage.map(\.name) == ["乙", "丙"])
    }

    @Test func aReportUnderReviewOrVerifiedIsNotRecomputed() async throws {
        for status in [SubmissionStatus.submitted, .approved, .verified] {
            let (repository, state) = try await groupInEveryStatus(report: SubmissionSnapshot(id: UUID(), status: status, version: 4))
            await #expect(throws: ConsolidateGroup.Failure.notEditable(status)) {
                try await ConsolidateGroup.run(try group(repository), actor: Self.headquarters, in: repository, read: read(state.group.form))
            }
            let (report, record) = await (repository.report, repository.record)
            #expect(report?.version == 4 && record.consolidatedAt == nil)
        }
        let failure = ConsolidateGroup.Failure.notEditable(.verified)
        #expect(failure.code == "not_editable" && failure.isConflict)
        #expect(failure.message == "集团汇总表已核定，不能重新汇总；如需重算请由国家数据局重新打开或退回。")
    }

    @Test func aReopenedSubsidiaryReopensAndRecomputesTheGroupsReport() async throws {
        let (repository, state) = try await groupInEveryStatus(report: SubmissionSnapshot(id: UUID(), status: .verified, version: 4))
        let form = state.group.form
        await repository.change("甲", to: .returned, ["01:cur": "30"])
        try await ConsolidateGroup.follow(.reopen, ofSubsidiary: "甲", group: try group(repository), actor: Self.headquarters, in: repository,
                                          read: read(form))
        #expect(await repository.audit.contains("重新打开：子公司「甲」的报表已重新打开，集团汇总数须重新计算"))
        let report = try #require(await repository.report)
        #expect(report.status == .returned && report.version == 6, "reopened (5), then the consolidation saved (6)")
        #expect(await repository.reportCells()["01:cur"] == "20", "own 10 + 乙 10: 甲 no longer counts")
    }

    @Test func anApprovalLeavesAGroupNeverConsolidatedAlone() async throws {
        let repository = MemoryGroup(report: SubmissionSnapshot(id: UUID(), status: .draft, version: 2))
        await repository.add("甲", region: "110000", .approved, ["01:cur": "30"])
        try await ConsolidateGroup.follow(.approve, ofSubsidiary: "甲", group: try group(repository), actor: Self.headquarters, in: repository,
                                          read: read(try TestForms.form("T1")))
        let (report, audit) = await (repository.report, repository.audit)
        #expect(report?.version == 2 && audit.isEmpty)
    }

    @Test func theOwnFiguresNeedTheVersionEdited() async throws {
        let (repository, state) = try await groupInEveryStatus()
        let form = state.group.form
        let values = try TestForms.values(form, ["01:cur": "11"])
        await #expect(throws: ConsolidateGroup.Failure.missingOwnVersion) {
            try await ConsolidateGroup.keepOwnFigures(values, version: nil, of: try group(repository), actor: Self.headquarters, in: repository, read: read(form))
        }
        await #expect(throws: ConsolidateGroup.Failure.ownVersionConflict(current: 1)) {
            try await ConsolidateGroup.keepOwnFigures(values, version: 0, of: try group(repository), actor: Self.headquarters, in: repository, read: read(form))
        }
        #expect(ConsolidateGroup.Failure.ownVersionConflict(current: 1).message == "总部本部数据已被他人修改（当前版本 1），请重新加载。")
        let audited = await repository.audit.count
        let kept = try await ConsolidateGroup.keepOwnFigures(values, version: 1, of: try group(repository), actor: Self.headquarters, in: repository,
                                                             read: read(form))
        #expect(kept.record.version == 2 && TestForms.text(form, kept.own, "01:cur") == "11")
        #expect(await repository.audit.count == audited + 3, "one line per changed cell: 01 changed, 05 and 07 emptied")
    }
}
