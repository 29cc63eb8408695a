import DRSApplication
import DRSCore
import DRSWorkflow
import Foundation
import Testing

/// The review use case over a repository in memory: the lifecycle table decides, the store's
/// refusals become the reviewer's messages, and nothing is written when a request is refused.
@Suite("Review use case")
struct ReviewSubmissionTests {
    static let id = UUID()
    static let reviewer = Actor(userID: nil, username: "review-beijing", address: "127.0.0.1")

    func request(_ step: SubmissionStep, version: Int? = 3, reason: String? = nil) -> ReviewSubmission.Request {
        ReviewSubmission.Request(step: step, unitID: UUID(), formID: "form", year: 2025, version: version, reason: reason, actor: Self.reviewer)
    }

    /// The use case with the checks of the stored figures answering `report`.
    func run(_ request: ReviewSubmission.Request, in repository: MemoryRepository,
             report: CheckReport = CheckReport()) async throws -> SubmissionSnapshot {
        try await ReviewSubmission.run(request, in: repository) { _ in report }
    }

    static let blank = MissingCell(key: "01:cum", code: "01", column: "cum", member: nil, name: "数据生产总量",
                                   columnName: "截至本年", memberName: nil)

    @Test func approvalAndVerificationRefuseAFormWithRequiredCellsBlank() async throws {
        let incomplete = CheckReport(missing: [Self.blank])
        for (status, step) in [(SubmissionStatus.submitted, SubmissionStep.approve), (.approved, .verify)] {
            let repository = MemoryRepository(SubmissionSnapshot(id: Self.id, status: status, version: 3))
            await #expect(throws: ReviewSubmission.Failure.incomplete(missing: [Self.blank], step: step)) {
                try await run(request(step), in: repository, report: incomplete)
            }
            #expect(await repository.auditCount() == 0)
        }
        // Returning an incomplete form is exactly what a reviewer should do with it.
        let repository = MemoryRepository(SubmissionSnapshot(id: Self.id, status: .submitted, version: 3))
        let after = try await run(request(.return, reason: "请补填空白单元格"), in: repository, report: incomplete)
        #expect(after.status == .returned)
        #expect(ReviewSubmission.Failure.incomplete(missing: [Self.blank], step: .approve).message
                == "此表还有1个必填单元格未填写（如数据生产总量[01]（截至本年）尚未填写），不能审核通过，请退回填报单位补填。")
    }

    @Test func approvingASubmittedFormMovesItAndRecordsTheStep() async throws {
        let repository = MemoryRepository(SubmissionSnapshot(id: Self.id, status: .submitted, version: 3))
        let after = try await run(request(.approve), in: repository)
        #expect(after == SubmissionSnapshot(id: Self.id, status: .approved, version: 4))
        #expect(await repository.auditCount() == 1)
    }

    @Test func aReturnNeedsAReasonAndKeepsItTrimmed() async throws {
        let repository = MemoryRepository(SubmissionSnapshot(id: Self.id, status: .submitted, version: 3))
        await #expect(throws: ReviewSubmission.Failure.reasonRequired(.return)) {
            try await run(request(.return, reason: "  \n "), in: repository)
        }
        #expect(await repository.auditCount() == 0)
        let after = try await run(request(.return, reason: "  第03行数值有误 "), in: repository)
        #expect(after.status == .returned)
        #expect(await repository.lastReason() == "第03行数值有误")
    }

    @Test func refusalsComeBackAsTheReviewersMessages() async throws {
        let repository = MemoryRepository(SubmissionSnapshot(id: Self.id, status: .verified, version: 7))
        await #expect(throws: ReviewSubmission.Failure.missingVersion) { try await run(request(.approve, version: nil), in: repository) }
        await #expect(throws: ReviewSubmission.Failure.versionConflict(current: 7, step: .verify)) {
            try await run(request(.verify, version: 6), in: repository)
        }
        await #expect(throws: ReviewSubmission.Failure.invalidTransition(from: .verified, step: .approve)) {
            try await run(request(.approve, version: 7), in: repository)
        }
        let tooLong = String(repeating: "因", count: ReviewSubmission.maximumReasonLength + 1)
        await #expect(throws: ReviewSubmission.Failure.reasonTooLong) { try await run(request(.reopen, version: 7, reason: tooLong), in: repository) }
        #expect(await repository.auditCount() == 0)
        #expect(ReviewSubmission.Failure.invalidTransition(from: .verified, step: .approve).message == "此表已核定，不能审核通过。")
    }

    @Test func aFormNeverStartedCannotBeReviewed() async throws {
        await #expect(throws: ReviewSubmission.Failure.notStarted) { try await run(request(.approve), in: MemoryRepository(nil)) }
    }
}
