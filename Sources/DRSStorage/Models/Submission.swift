import DRSWorkflow
import FluentKit
import Foundation

/// The status lives with the survey's rules (`DRSWorkflow.SubmissionLifecycle`); the name stays here
/// so that code importing only the storage layer reads as before.
public typealias SubmissionStatus = DRSWorkflow.SubmissionStatus

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

    /// A new submission's id is time-ordered (`TimeOrderedID`): its audit lines' `(submission_id, at)`
    /// index entries then go to the index's right edge, not to a random page of it.
    public init(id: UUID? = nil, unitID: UUID, formID: String, year: Int) {
        self.id = id ?? TimeOrderedID.make()
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
