/// Where a unit's form for a year stands: 未填报 → 草稿 → 已提交 → 已退回 / 已通过 → 已核定. The steps
/// between them are `SubmissionLifecycle.transitions`; the raw values are what the database stores.
public enum SubmissionStatus: String, Codable, Sendable, CaseIterable {
    case notStarted, draft, submitted, returned, approved, verified

    public var chineseName: String {
        switch self {
        case .notStarted: "未填报"
        case .draft: "草稿"
        case .submitted: "已提交"
        case .returned: "已退回"
        case .approved: "已通过"
        case .verified: "已核定"
        }
    }

    /// A comma-separated list of statuses (`submitted,verified`), and the words that are none.
    /// Blanks and tabs around a word are ignored, as are empty words.
    public static func list(_ text: String) -> (statuses: Set<SubmissionStatus>, unknown: [String]) {
        var statuses = Set<SubmissionStatus>(), unknown: [String] = []
        for word in text.split(separator: ",").map(trimmingBlanks) where !word.isEmpty {
            if let s = SubmissionStatus(rawValue: word) { statuses.insert(s) } else { unknown.append(word) }
        }
        return (statuses, unknown)
    }

    /// Figures may be changed by the filer only in these states: the statuses a draft save starts from.
    public var isEditable: Bool { SubmissionLifecycle.transition(.saveDraft).from.contains(self) }

    /// Nothing changes it but a step that needs the national office (重新打开, or an import of 核定数).
    public var isLocked: Bool { self == .verified }
}

/// A word without the blanks and tabs around it (line breaks are not blanks here, as in Foundation's
/// `CharacterSet.whitespaces`).
private func trimmingBlanks(_ word: Substring) -> String {
    func isBlank(_ c: Character) -> Bool { c.isWhitespace && !c.isNewline }
    guard let first = word.firstIndex(where: { !isBlank($0) }), let last = word.lastIndex(where: { !isBlank($0) }) else { return "" }
    return String(word[first...last])
}
