/// A row asked only when the unit answered a basic-information question a certain way: the
/// catalog's `Indicator.condition` (企业5表 rows 62–65, AI 产品/服务, only when 企业1表 Q10 是否开发
/// AI 产品 = 是), resolved against the other form when the catalog is compiled.
public struct RowCondition: Sendable, Equatable {
    /// The row asked under the condition.
    public var row: String
    /// The answer that decides it, as `UnitProfile.answers` keys it: `E1.Q10`.
    public var answerKey: String
    /// The option code that asks the row (`1` 是).
    public var equals: String
    /// 企业1表「是否开发 AI 产品」
    public var question: String
    /// Option code → label of the deciding question, for the reason shown to the filer.
    public var optionLabels: [String: String]
    /// The seed's wording the condition rests on.
    public var basis: String?

    /// Whether the row is asked: yes unless the unit has answered the question otherwise (an
    /// unanswered question asks the row; it is never skipped on a guess).
    public func isAsked(by profile: UnitProfile?) -> Bool {
        guard let answer = profile?.answers?[answerKey] else { return true }
        return answer == equals
    }

    /// 「企业1表「是否开发 AI 产品」选择「否」，本行免填」
    public func reason(for profile: UnitProfile?) -> String {
        let answer = profile?.answers?[answerKey] ?? ""
        let label = optionLabels[answer] ?? answer
        return "\(question)选择「\(label)」，本行免填"
    }

    /// The conditions of a form's rows, checked against the catalog: the other form must be a
    /// basic-information form with a choice item offering the option.
    static func resolve(_ form: Form, in catalog: Catalog) -> ([RowCondition], [CatalogError]) {
        var conditions: [RowCondition] = []
        var problems: [CatalogError] = []
        for indicator in form.allIndicators {
            guard let condition = indicator.condition else { continue }
            let where_ = "行 \(indicator.code) 的条件"
            guard let formID = condition.form, let itemCode = condition.item, let equals = condition.equals else {
                problems.append(CatalogError(form: form.id, reason: "\(where_)须写明 form、item 和 equals"))
                continue
            }
            guard let other = catalog.form(formID), other.kind == .basicInfo, let item = other.item(itemCode) else {
                problems.append(CatalogError(form: form.id, reason: "\(where_)引用的 \(formID) 表项目 \(itemCode) 不存在或不是基本情况表的项目"))
                continue
            }
            let options = item.options ?? []
            guard options.contains(where: { $0.code == equals }) else {
                problems.append(CatalogError(form: form.id, reason: "\(where_)引用的选项 \(equals) 不是 \(itemCode) 的选项"))
                continue
            }
            conditions.append(RowCondition(
                row: indicator.code, answerKey: "\(formID).\(itemCode)", equals: equals,
                question: "\(other.tableNumber)「\(item.name)」",
                optionLabels: Dictionary(options.map { ($0.code, $0.label) }, uniquingKeysWith: { first, _ in first }),
                basis: condition.basis))
        }
        return (conditions, problems)
    }
}

extension CompiledForm {
    /// Rows the unit is not asked, by its answers: row code → the reason shown next to the row.
    public func skippedRows(profile: UnitProfile?) -> [String: String] {
        var skipped: [String: String] = [:]
        for condition in rowConditions where !condition.isAsked(by: profile) {
            skipped[condition.row] = condition.reason(for: profile)
        }
        return skipped
    }

    /// Whether a slot's row is asked of this unit, by its flags (`appliesTo`) and its answers.
    /// Without a profile the flags are unknown, so rows kept for some units count as not asked.
    func isAsked(slot: Int, profile: UnitProfile?, skipped: [String: String]) -> Bool {
        let cell = layout.cells[slot]
        if skipped[cell.key.code] != nil { return false }
        guard let appliesTo = cell.appliesTo else { return true }
        guard let profile else { return false }
        return appliesTo.applies(to: profile)
    }
}

extension CompiledForm {
    /// The basic-information forms this form's row conditions read (`E1`), for loading their answers.
    public var conditionForms: Set<String> {
        Set(rowConditions.compactMap { $0.answerKey.split(separator: ".").first.map(String.init) })
    }

    /// The choice codes this form's row conditions read, from the unit's stored answers by form
    /// (`["E1": ["Q10": "2", …]]`), keyed as `UnitProfile.answers` keys them (`E1.Q10`).
    public func conditionAnswers(from answersByForm: [String: [String: JSONValue]]) -> [String: String] {
        var found: [String: String] = [:]
        for condition in rowConditions {
            let parts = condition.answerKey.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let answer = answersByForm[parts[0]]?[parts[1]],
                  let code = BasicInfoChecker.choiceCode(answer), !code.isEmpty else { continue }
            found[condition.answerKey] = code
        }
        return found
    }
}
