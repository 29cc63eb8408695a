import DRSApplication
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

    @Test func approvingASubmittedFormMovesItAndRecordsTheStep() async throws {
        let repository = MemoryRepository(SubmissionSnapshot(id: Self.id, status: .submitted, version: 3))
        let after = try await ReviewSubmission.run(request(.approve), in: repository)
        #expect(after == SubmissionSnapshot(id: Self.id, status: .approved, version: 4))
        #expect(await repository.auditCount() == 1)
    }

    @Test func aReturnNeedsAReasonAndKeepsItTrimmed() async throws {
        let repository = MemoryRepository(SubmissionSnapshot(id: Self.id, status: .submitted, version: 3))
        await #expect(throws: ReviewSubmission.Failure.reasonRequired(.return)) {
            try await ReviewSubmission.run(request(.return, reason: "  \n "), in: repository)
        }
        #expect(await repository.auditCount() == 0)
        let after = try await ReviewSubmission.run(request(.return, reason: "  第03行数值有误 "), in: repository)
        #expect(after.status == .returned)
        #expect(await repository.lastReason() == "第03行数值有误")
    }

    @Test func refusalsComeBackAsTheReviewersMessages() async throws {
        let repository = MemoryRepository(SubmissionSnapshot(id: Self.id, status: .verified, version: 7))
        await #expect(throws: ReviewSubmission.Failure.missingVersion) { try await ReviewSubmission.run(request(.approve, version: nil), in: repository) }
        await #expect(throws: ReviewSubmission.Failure.versionConflict(current: 7, step: .verify)) {
            try await ReviewSubmission.run(request(.verify, version: 6), in: repository)
        }
        await #expect(throws: ReviewSubmission.Failure.invalidTransition(from: .verified, step: .approve)) {
            try await ReviewSubmission.run(request(.approve, version: 7), in: repository)
        }
        let tooLong = String(repeating: "因", count: ReviewSubmission.maximumReasonLength + 1)
        await #expect(throws: ReviewSubmission.Failure.reasonTooLong) { try await ReviewSubmission.run(request(.reopen, version: 7, reason: tooLong), in: repository) }
        #expect(await repository.auditCount() == 0)
        #expect(ReviewSubmission.Failure.invalidTransition(from: .verified, step: .approve).message == "此表已核定，不能审核通过。")
    }

    @Test func aFormNeverStartedCannotBeReviewed() async throws {
        await #expect(throws: ReviewSubmission.Failure.notStarted) { try await ReviewSubmission.run(request(.approve), in: MemoryRepository(nil)) }
    }
}
