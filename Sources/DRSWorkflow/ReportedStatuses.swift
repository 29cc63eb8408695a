extension SubmissionStatus {
    /// The statuses that count as reported (已报送): handed in and not sent back — 已提交, 已通过,
    /// 已核定. Progress counts them as reported, and the follow-up list checks their figures (what
    /// the office can still act on). They are exactly the statuses the filer can no longer edit.
    public static let reported: Set<SubmissionStatus> = [.submitted, .approved, .verified]

    /// Whether a submission in this status counts as reported (`reported`).
    public var isReported: Bool { Self.reported.contains(self) }
}
