import DRSWorkflow
import Foundation
import Testing

/// The lifecycle table on its own: the survey's chain, one step at a time.
@Suite("Submission lifecycle")
struct SubmissionLifecycleTests {
    @Test func everyStepHasExactlyOneLine() {
        for step in SubmissionStep.allCases {
            #expect(SubmissionLifecycle.transitions.filter { $0.step == step }.count == 1, "\(step)")
        }
        #expect(SubmissionLifecycle.transitions.count == SubmissionStep.allCases.count)
    }

    @Test func theReviewChain() {
        let approve = SubmissionLifecycle.transition(.approve), ret = SubmissionLifecycle.transition(.return)
        let verify = SubmissionLifecycle.transition(.verify), reopen = SubmissionLifecycle.transition(.reopen)
        #expect(approve.from == [.submitted] && approve.toStatus == .approved && !approve.needsReason && approve.chineseName == "审核通过")
        #expect(ret.from == [.submitted, .approved] && ret.toStatus == .returned && ret.needsReason && ret.chineseName == "退回")
        #expect(verify.from == [.submitted, .approved] && verify.toStatus == .verified && !verify.needsReason && verify.chineseName == "核定")
        #expect(reopen.from == [.verified] && reopen.toStatus == .returned && reopen.needsReason && reopen.chineseName == "重新打开")
        #expect(SubmissionStep.reviewSteps.map(\.rawValue) == ["approve", "return", "verify", "reopen"])
    }

    @Test func onlyVerifyingLocks() {
        #expect(SubmissionLifecycle.transitions.filter(\.locks).map(\.step) == [.verify, .importVerified])
        #expect(SubmissionStatus.allCases.filter(\.isLocked) == [.verified])
        // Once locked, only the national office's reopen (or its own import of 核定数) moves it.
        #expect(SubmissionLifecycle.steps(from: .verified) == [.reopen, .importVerified])
    }

    @Test func filersEditOnlyBeforeSubmitting() {
        #expect(SubmissionStatus.allCases.filter(\.isEditable) == [.notStarted, .draft, .returned])
        #expect(SubmissionStep.submit.from == [.draft, .returned])
        #expect(SubmissionLifecycle.transition(.submit).status(after: .notStarted) == nil)
        #expect(SubmissionLifecycle.transition(.submit).status(after: .returned) == .submitted)
    }

    @Test func aSaveStartsADraftAndKeepsAReturn() {
        let save = SubmissionLifecycle.transition(.saveDraft)
        #expect(save.toStatus == nil)
        #expect(save.status(after: .notStarted) == .draft)
        #expect(save.status(after: .draft) == .draft)
        #expect(save.status(after: .returned) == .returned)
        #expect(save.status(after: .submitted) == nil)
        // Consolidation writes the group's report as a save does.
        #expect(SubmissionStep.consolidate.from == save.from)
        #expect(SubmissionLifecycle.transition(.consolidate).status(after: .returned) == .returned)
    }

    @Test func importsSetADraftOrTheVerifiedFigures() {
        #expect(SubmissionStep.importing(.draft) == .importDraft)
        #expect(SubmissionStep.importing(.verified) == .importVerified)
        for status in [SubmissionStatus.notStarted, .submitted, .returned, .approved] { #expect(SubmissionStep.importing(status) == nil) }
        #expect(SubmissionLifecycle.transition(.importDraft).status(after: .returned) == .draft)
        #expect(SubmissionLifecycle.transition(.importDraft).status(after: .approved) == nil)
        for status in SubmissionStatus.allCases { #expect(SubmissionLifecycle.transition(.importVerified).status(after: status) == .verified) }
    }

    @Test func anImportStoresADraftOrVerifiedFigures() {
        #expect(SubmissionStep.importStatuses == [.draft, .verified])
        // The same statuses `importing` finds a step for.
        #expect(SubmissionStep.importStatuses == Set(SubmissionStatus.allCases.filter { SubmissionStep.importing($0) != nil }))
    }

    @Test func theAccessTableChecksTheLifecyclesStatuses() {
        // The statuses the access decision checked before the table moved here, unchanged.
        let before: [AccessAction: Set<SubmissionStatus>] = [
            .editForm: [.notStarted, .draft, .returned], .submitForm: [.draft, .returned], .approve: [.submitted],
            .returnForm: [.submitted, .approved], .verify: [.submitted, .approved], .reopen: [.verified],
        ]
        #expect(AccessPolicy.statuses == before)
        for step in SubmissionStep.reviewSteps { #expect(step.accessAction.map { AccessPolicy.statuses[$0] } == step.from) }
        #expect(SubmissionStep.consolidate.accessAction == nil)
        let admin = Subject(role: .admin)
        let unit = Target(unitID: "u", region: "110000")
        #expect(AccessPolicy.decide(admin, .reopen, unit.with(status: .approved)) == .deny(.status(.approved)))
        #expect(AccessPolicy.decide(admin, .reopen, unit.with(status: .verified)) == .allow)
    }

    @Test func statusListsNameTheUnknownWords() {
        let (statuses, unknown) = SubmissionStatus.list(" submitted ,verified,,\tdone ")
        #expect(statuses == [.submitted, .verified])
        #expect(unknown == ["done"])
        #expect(SubmissionStatus.list("").statuses.isEmpty)
        #expect(SubmissionStatus.allCases.map(\.chineseName) == ["未填报", "草稿", "已提交", "已退回", "已通过", "已核定"])
    }

    @Test func theTableIsPrintedInTheDocs() throws {
        let table = SubmissionLifecycle.markdown
        #expect(table.split(separator: "\n").count == SubmissionLifecycle.transitions.count + 2)
        #expect(table.contains("| 重新打开 (`reopen`) | 已核定 | 已退回 | required | — |"))
        // docs/review-and-aggregation.md carries the table as printed here: regenerate it when the table changes.
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/review-and-aggregation.md")
        let page = try String(contentsOf: docs, encoding: .utf8)
        #expect(page.contains(table))
    }
}
