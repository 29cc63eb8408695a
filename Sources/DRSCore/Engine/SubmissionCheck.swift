extension CompiledCatalog {
    /// Checks a whole submission document: the rules of its form, the formats of basic-information
    /// answers, and the unit's 统一社会信用代码.
    public func check(_ document: SubmissionDocument, respondentType: String? = nil) -> CheckReport {
        guard let form = forms[document.formID] else { return CheckReport() }
        var report = form.check(document.values, lastYear: document.lastYear, explanations: document.explanations,
                                profile: document.profile)
        if form.form.kind == .basicInfo {
            for violation in BasicInfoChecker.check(document.answers, form: form, codeLists: catalog.codeLists,
                                                    respondentType: respondentType) {
                report.append(violation)
            }
        }
        if let unit = document.unit, !unit.trimmingWhitespace().isEmpty {
            do { _ = try CreditCode.validate(unit) } catch {
                report.append(Violation(form: form.form.id, ruleID: "\(form.form.id)-UNIT", expression: "creditCode(unit)",
                                        seed: nil, severity: .warning, origin: .implied, column: "value", columnName: "",
                                        member: nil, memberName: nil,
                                        cells: [Violation.Cell(code: "unit", column: "value", member: nil, name: "填报单位",
                                                               value: unit, lastYear: false)],
                                        message: "填报单位的\(error.message)", needsExplanation: false, explanation: nil))
            }
        }
        return report
    }
}
