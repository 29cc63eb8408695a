import DRSApplication
import DRSCore
import DRSWorkflow
import Foundation
import Testing

/// The filer's 提交 over a repository in memory: it checks what is stored, and the store's refusals
/// become the filer's messages.
@Suite("Submit use case")
struct SubmitSubmissionTests {
    static let id = UUID()
    static let filer = Actor(userID: nil, username: "beijing-data", address: "127.0.0.1")

    func request(version: Int = 2) -> SubmitSubmission.Request {
        SubmitSubmission.Request(unitID: UUID(), formID: "form", year: 2025, version: version, actor: Self.filer)
    }

    @Test func aCheckedDraftIsSubmittedAndItsAuditLineCarriesTheStatusAlone() async throws {
        let repository = MemoryRepository(SubmissionSnapshot(id: Self.id, status: .draft, version: 2, cells: #"{"01:cum":"5"}"#))
        var checked: String?
        let after = try await SubmitSubmission.run(request(), in: repository) { stored in
            checked = stored.cells
            return CheckReport()
        }
        #expect(checked == #"{"01:cum":"5"}"#, "the stored figures are what is checked")
        #expect(after.status == .submitted && after.version == 3)
        #expect(await repository.lastNamedStep() == false)
    }

    @Test func aFormNeverFilledCannotBeSubmitted() async throws {
        for stored in [nil, SubmissionSnapshot(id: Self.id, status: .notStarted, version: 0)] {
            let repository = MemoryRepository(stored)
            await #expect(throws: SubmitSubmission.Failure.self) {
                try await SubmitSubmission.run(request(), in: repository) { _ in CheckReport() }
            }
            #expect(await repository.auditCount() == 0)
        }
        #expect(SubmitSubmission.Failure.notStarted.message == "此表尚未填写，不能提交")
    }

    @Test func refusalsByTheStoreBecomeConflicts() async throws {
        let moved = MemoryRepository(SubmissionSnapshot(id: Self.id, status: .draft, version: 5))
        do {
            _ = try await SubmitSubmission.run(request(version: 4), in: moved) { _ in CheckReport() }
            Issue.record("a stale version was accepted")
        } catch let failure as SubmitSubmission.Failure {
            #expect(failure.code == "version_conflict" && failure.isConflict)
            #expect(failure.message == "此表已被他人修改（当前版本 5），请重新加载后再提交。")
        }
        let submitted = MemoryRepository(SubmissionSnapshot(id: Self.id, status: .submitted, version: 2))
        do {
            _ = try await SubmitSubmission.run(request(), in: submitted) { _ in CheckReport() }
            Issue.record("a submitted form was submitted again")
        } catch let failure as SubmitSubmission.Failure {
            #expect(failure.code == "not_editable" && failure.message == "此表已提交，不能再次提交。")
        }
        #expect(await submitted.auditCount() == 0)
    }
}
