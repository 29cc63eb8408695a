import Fluent
import Foundation

/// 未填报 → 草稿 → 已提交 → 已退回 / 已通过 → 已核定.
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
    public static func list(_ text: String) -> (statuses: Set<SubmissionStatus>, unknown: [String]) {
        var statuses = Set<SubmissionStatus>(), unknown: [String] = []
        for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !word.isEmpty {
            if let s = SubmissionStatus(rawValue: word) { statuses.insert(s) } else { unknown.append(word) }
        }
        return (statuses, unknown)
    }

    /// Figures may be changed by the filer only in these states.
    public var isEditable: Bool { self == .notStarted || self == .draft || self == .returned }
}

/// One unit's form for one survey year. Figures are kept in one narrow text column (compact JSON of
/// the filled cells): a save is one row update, never a hundred reflected fields.
public final class Submission: Model, @unchecked Sendable {
    public static let schema = "submissions"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "unit_id") public var unit: SurveyUnit
    @Field(key: "form_id") public var formID: String
    @Field(key: "year") public var year: Int
    @Field(key: "status") public var status: SubmissionStatus
    /// Optimistic concurrency: every save increments it; a save naming an older version is refused.
    @Field(key: "version") public var version: Int
    /// `{"01:cum":"1200.5", "02:cur@110000":"5"}` — cell key → value as stored.
    @Field(key: "cells") public var cells: String
    /// Basic-information answers, as JSON.
    @Field(key: "answers") public var answers: String
    /// Explanations by row code, as JSON.
    @Field(key: "explanations") public var explanations: String
    @OptionalField(key: "return_reason") public var returnReason: String?
    @OptionalField(key: "submitted_at") public var submittedAt: Date?
    @Timestamp(key: "updated_at", on: .none) public var updatedAt: Date?

    public init() {}

    public init(id: UUID? = nil, unitID: UUID, formID: String, year: Int) {
        self.id = id
        self.$unit.id = unitID
        self.formID = formID
        self.year = year
        self.status = .notStarted
        self.version = 0
        self.cells = "{}"
        self.answers = "{}"
        self.explanations = "{}"
        self.updatedAt = Date()
    }
}
