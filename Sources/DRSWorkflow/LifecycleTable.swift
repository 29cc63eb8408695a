/// The lifecycle table as Markdown, for docs/review-and-aggregation.md: one line per step, in the
/// table's order (a test holds the page to it).
extension SubmissionLifecycle {
    public static var markdown: String {
        var lines = ["| step | from | to | reason | locks |", "| --- | --- | --- | --- | --- |"]
        for t in transitions {
            let from = t.from.count == SubmissionStatus.allCases.count ? "any"
                : SubmissionStatus.allCases.filter { t.from.contains($0) }.map(\.chineseName).joined(separator: "、")
            let to: String
            switch t.to {
            case .status(let status): to = status.chineseName
            case .startsDraft: to = "草稿（已退回的仍为已退回）"
            }
            lines.append("| \(t.chineseName) (`\(t.step.rawValue)`) | \(from) | \(to) | \(t.needsReason ? "required" : "—") | \(t.locks ? "yes" : "—") |")
        }
        return lines.joined(separator: "\n")
    }
}
