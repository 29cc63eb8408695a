import DRSCore
import DRSWorkflow
import Testing

/// 已报送: the statuses that count as reported, for progress and the follow-up list.
@Suite("Reported statuses")
struct ReportedStatusesTests {
    @Test func handedInAndNotSentBack() {
        #expect(SubmissionStatus.allCases.filter(\.isReported) == [.submitted, .approved, .verified])
        // Reported is what the filer can no longer edit: a returned form is owed again.
        #expect(SubmissionStatus.allCases.filter(\.isReported) == SubmissionStatus.allCases.filter { !$0.isEditable })
        // Everything a submit leads to, and every review step that does not send it back.
        let onward = [SubmissionStep.submit, .approve, .verify].compactMap { SubmissionLifecycle.transition($0).toStatus }
        #expect(Set(onward) == SubmissionStatus.reported)
    }

    /// The progress table (in DRSCore, by raw value) counts the same statuses as reported, and the
    /// others as owed (overdue after the deadline).
    @Test func progressCountsTheSameStatuses() {
        for status in SubmissionStatus.allCases {
            let table = ProgressTable([.init(province: "110000", type: "t", form: "F", status: status.rawValue)], pastDeadline: true)
            #expect((table.total.reported == 1) == status.isReported, "\(status)")
            #expect((table.total.overdue == 1) == !status.isReported, "\(status)")
        }
    }
}
