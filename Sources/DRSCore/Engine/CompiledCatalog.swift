/// A catalog edition with every form compiled; building it validates the catalog as a whole.
public struct CompiledCatalog: Sendable {
    public let catalog: Catalog
    public let forms: [String: CompiledForm]

    /// Compiles all forms; collects every defect instead of stopping at the first.
    public init(_ catalog: Catalog, yearOverYear: YearOverYearPolicy? = nil) throws(CatalogErrors) {
        var problems = CatalogValidator.structuralProblems(of: catalog)
        var forms: [String: CompiledForm] = [:]
        for form in catalog.forms {
            do {
                forms[form.id] = try CompiledForm(form: form, survey: catalog.survey, codeLists: catalog.codeLists,
                                                  yearOverYear: yearOverYear)
            } catch {
                problems += error.errors
            }
            let (conditions, conditionProblems) = RowCondition.resolve(form, in: catalog)
            forms[form.id]?.rowConditions = conditions
            problems += conditionProblems
        }
        if !problems.isEmpty { throw CatalogErrors(errors: problems) }
        self.catalog = catalog
        self.forms = forms
    }

    public func form(_ id: String) -> CompiledForm? { forms[id] }
    public var orderedForms: [CompiledForm] { catalog.forms.compactMap { forms[$0.id] } }
}

/// Every defect found in a catalog.
public struct CatalogErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [CatalogError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Checks a catalog's internal consistency: what the JSON decoder cannot see.
public enum CatalogValidator {
    public static func structuralProblems(of catalog: Catalog) -> [CatalogError] {
        var problems: [CatalogError] = []
        let survey = catalog.survey
        // Each id names one thing: forms, rules and the engine look them up by it.
        for (list, ids) in [("栏目", survey.columns.map(\.id)), ("计量单位", survey.units.map(\.id)),
                            ("调查对象类型", survey.respondentTypes.map(\.id))] {
            problems += repeated(ids).map { CatalogError(form: nil, reason: "\(list) \($0) 重复") }
        }
        for list in catalog.codeLists.values.sorted(by: { $0.id < $1.id }) {
            problems += repeated(list.members.map(\.code)).map { CatalogError(form: nil, reason: "代码表「\(list.name)」的代码 \($0) 重复") }
        }
        var seenForms = Set<String>()
        for form in catalog.forms {
            var check = FormCheck(catalog: catalog, form: form)
            if !seenForms.insert(form.id).inserted { check.problem("表 \(form.id) 重复") }
            check.run()
            problems += check.reasons.map { CatalogError(form: form.id, reason: $0) }
        }
        for type in survey.respondentTypes {
            for form in type.forms where catalog.form(form) == nil {
                problems.append(CatalogError(form: nil, reason: "调查对象类型「\(type.name)」的表 \(form) 不存在"))
            }
        }
        return problems
    }

    /// The ids listed more than once, each once, in the order they first repeat.
    static func repeated(_ ids: [String]) -> [String] {
        var seen = Set<String>(), repeated: [String] = []
        for id in ids where !seen.insert(id).inserted && !repeated.contains(id) { repeated.append(id) }
        return repeated
    }

    /// The defects of one form, in the order they are listed: its respondent types, columns and
    /// breakdown, then its items or indicators, then its rules.
    private struct FormCheck {
        let catalog: Catalog
        let form: Form
        let columnIDs: Set<ColumnID>
        let unitIDs: Set<String>
        let typeIDs: Set<String>
        private(set) var reasons: [String] = []

        init(catalog: Catalog, form: Form) {
            self.catalog = catalog
            self.form = form
            columnIDs = Set(catalog.survey.columns.map(\.id))
            unitIDs = Set(catalog.survey.units.map(\.id))
            typeIDs = Set(catalog.survey.respondentTypes.map(\.id))
        }

        mutating func problem(_ reason: String) { reasons.append(reason) }

        mutating func run() {
            for type in form.respondentTypes where !typeIDs.contains(type) { problem("未知的调查对象类型「\(type)」") }
            for column in form.columns where !columnIDs.contains(column) { problem("未知的栏目「\(column)」") }
            if let breakdown = form.breakdown, catalog.codeLists[breakdown.codelist] == nil {
                problem("分组代码表「\(breakdown.codelist)」不存在")
            }
            switch form.kind {
            case .basicInfo:
                if form.allItems.isEmpty { problem("基本情况表没有任何项目") }
                var codes = Set<String>()
                for item in form.allItems where !codes.insert(item.code).inserted { problem("项目代码 \(item.code) 重复") }
                for item in form.allItems { checkItem(item) }
            case .indicators, .grid:
                let indicators = form.allIndicators
                if indicators.isEmpty { problem("表中没有任何指标") }
                var seen: [String: Int] = [:]
                for (index, indicator) in indicators.enumerated() {
                    checkIndicator(indicator, at: index, seen: &seen)
                }
            }
            var ruleIDs = Set<String>()
            for rule in form.rules {
                if !ruleIDs.insert(rule.id).inserted { problem("规则编号 \(rule.id) 重复") }
                for column in rule.columns where !columnIDs.contains(column) { problem("规则 \(rule.id) 的栏目「\(column)」未定义") }
            }
        }

        /// An item's unit, code list and options, then its fields'.
        private mutating func checkItem(_ item: Item) {
            if let unit = item.unit, !unitIDs.contains(unit) { problem("项目 \(item.code) 的计量单位「\(unit)」未定义") }
            if let list = item.codelist, catalog.codeLists[list] == nil { problem("项目 \(item.code) 的代码表「\(list)」不存在") }
            if [.singleChoice, .multipleChoice].contains(item.type), (item.options ?? []).isEmpty, item.codelist == nil {
                problem("选择题 \(item.code) 没有选项")
            }
            for field in item.fields ?? [] { checkItem(field) }
        }

        /// An indicator's code (unique), unit, columns, parent (before it) and aggregation weight.
        private mutating func checkIndicator(_ indicator: Indicator, at index: Int, seen: inout [String: Int]) {
            if seen[indicator.code] != nil { problem("指标代码 \(indicator.code) 重复") }
            seen[indicator.code] = index
            if !unitIDs.contains(indicator.unit) { problem("指标 \(indicator.code) 的计量单位「\(indicator.unit)」未定义") }
            if indicator.columns.isEmpty { problem("指标 \(indicator.code) 没有任何栏目") }
            for column in indicator.columns where !columnIDs.contains(column) {
                problem("指标 \(indicator.code) 的栏目「\(column)」未定义")
            }
            if let parent = indicator.parent {
                if let p = seen[parent] {
                    if p >= index { problem("指标 \(indicator.code) 的上级 \(parent) 应在其前") }
                } else {
                    problem("指标 \(indicator.code) 的上级 \(parent) 不存在或不在其前")
                }
            }
            if let weight = indicator.aggregation?.weight {
                do {
                    let e = try RuleParser.parseExpression(weight)
                    var refs: [(CellReference, isLastYear: Bool)] = []
                    e.collectReferences(into: &refs)
                    for (r, _) in refs where form.indicator(r.code) == nil {
                        problem("指标 \(indicator.code) 的加权基数引用了不存在的指标 \(r.code)")
                    }
                } catch {
                    problem("指标 \(indicator.code) 的加权基数：\(error.description)")
                }
            }
            if indicator.aggregation?.method == .weightedMean, indicator.aggregation?.weight == nil {
                problem("指标 \(indicator.code) 按加权平均汇总但未给出权数")
            }
        }
    }
}
