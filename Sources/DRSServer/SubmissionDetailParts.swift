import DRSCore
import DRSStorage
import DRSWorkflow
import Foundation

/// A submission's detail as read for one request: the stored row, this year's figures with last
/// year's carried into them where they apply (摘抄), last year's verified figures, the unit's profile,
/// explanations and answers. The API's body is made from it (`SubmissionController.detailBody`),
/// and so is the form page, directly: the page needs no check and no trip through the document's
/// types, which made and parsed every cell of both years twice per view.
struct SubmissionDetailParts {
    var unit: SurveyUnit
    var form: CompiledForm
    var year: Int
    var stored: Submission?
    /// This year's figures by slot of the form's layout, 摘抄 applied.
    var values: CellValues
    var lastYear: CellValues?
    var profile: UnitProfile
    var carriedOver: Bool
    var explanations: [String: String]
    var answers: JSONValue

    var status: SubmissionStatus { stored?.status ?? .notStarted }

    /// This year's figures shaped as the API's `values` (`{code: {column: value | {member: value}}}`).
    var filledValues: JSONValue { SubmissionTemplate.filledValues(form, values) }

    /// Last year's in the same shape, when there are any that count.
    var filledLastYear: JSONValue? { lastYear.map { SubmissionTemplate.filledValues(form, $0) } }

    /// The explanations in the order the API lists them (by cell).
    var explanationsInOrder: [(cell: String, text: String)] {
        explanations.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
