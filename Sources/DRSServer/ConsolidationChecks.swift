import DRSApplication
import DRSCore
import DRSStorage
import DRSWorkflow
import Vapor

/// Feedback on a headquarters' consolidation: the form's own checks run on the figures a
/// consolidation now would write (the same check a filer's save runs, with the group's explanations
/// and last year's verified figures), and which subsidiaries count and which do not yet.
enum ConsolidationChecks {
    struct Result: Encodable {
        var errors: [String] = []
        var warnings: [String] = []
        /// Required cells of the consolidated report still blank.
        var missing: [String] = []
        var hasRun = false
        var isClean: Bool { errors.isEmpty && warnings.isEmpty && missing.isEmpty }

        enum CodingKeys: String, CodingKey { case errors, warnings, missing, hasRun, isClean }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(errors, forKey: .errors)
            try c.encode(warnings, forKey: .warnings)
            try c.encode(missing, forKey: .missing)
            try c.encode(hasRun, forKey: .hasRun)
            try c.encode(isClean, forKey: .isClean)
        }
    }

    static func run(_ req: Request, group: SurveyUnit, state: ConsolidateGroup.State) async throws -> Result {
        let form = state.group.form, year = state.group.year
        let stored = try await req.platform.store(req.db).find(unitID: try group.requireID(), formID: form.form.id, year: year)
        let document = SubmissionDocument(formID: form.form.id, year: year, unit: nil, values: state.preview, lastYear: nil, answers: [:],
                                          explanations: SubmissionStore.decodeCells(stored?.explanations ?? "{}"), profile: nil)
        let report = try await SubmissionController().report(req, group, form, year, document)
        return Result(errors: report.errors.map(\.message),
                      warnings: report.warnings.map { w in w.message + (w.isExplained ? "（已说明：\(w.explanation ?? "")）" : "") },
                      missing: report.missing.map { m in "\(m.name)[\(m.code)] \(m.columnName)\(m.memberName.map { " · \($0)" } ?? "")" },
                      hasRun: true)
    }

    /// Whether a subsidiary's report counts in the group's figures, in words.
    static func inclusionText(_ subsidiary: GroupSubsidiary) -> String {
        if subsidiary.isIncluded { return "计入" }
        switch subsidiary.submission?.status ?? .notStarted {
        case .notStarted: return "不计入（尚未填报）"
        case .submitted: return "不计入（已提交，待审核通过）"
        case .returned: return "不计入（已退回）"
        default: return "不计入（未审核通过）"
        }
    }
}
