/// A form ready to check submissions: its layout, every rule parsed once (printed, implied, and the
/// survey's templates expanded per row) and bound to slots.
public struct CompiledForm: Sendable {
    public let form: Form
    public let layout: CellLayout
    public let rules: [CompiledRule]
    let bound: [BoundRule]
    let table: RuleTable
    /// The first cell of each row (for names in messages) and the name of each breakdown member.
    let firstSlotByCode: [String: Int]
    /// Where each indicator's code stands in `form.allIndicators`: a submission's every row is looked up.
    let indicatorIndex: [String: Int]
    let memberNames: [String: String]
    /// Slots of rows filled only by some units (运营商企业, 国有企业, 互联网平台企业, …).
    let conditionalSlots: [(slot: Int, appliesTo: Applicability)]
    let columnNames: [ColumnID: String]
    /// Per slot: whether the cell's unit takes decimals (not a whole count), for the rounding policy.
    let roundable: [Bool]
    let units: [String: MeasureUnit]
    public let yearOverYear: YearOverYearPolicy
    /// Rows asked only under an answer of another form (set when the whole catalog is compiled).
    public internal(set) var rowConditions: [RowCondition] = []

    public struct CompiledRule: Sendable {
        public var rule: Rule
        public var program: RuleProgram
        /// For a template instance: the row it was expanded for.
        public var templateRow: String?
        public var templateID: String?
    }

    /// The indicator of a row code (`Form.indicator`, by an index).
    public func indicator(_ code: String) -> Indicator? {
        indicatorIndex[code].map { form.allIndicators[$0] }
    }

    /// Number of rule checks one submission goes through (rules × columns × members).
    public var boundRuleCount: Int { bound.count }

    public init(form: Form, survey: Survey, codeLists: [String: CodeList],
                yearOverYear: YearOverYearPolicy? = nil) throws(CatalogErrors) {
        self.form = form
        do { self.layout = try CellLayout(form: form, codeLists: codeLists) } catch { throw CatalogErrors(errors: [error]) }
        var problems: [CatalogError] = []
        let policy = yearOverYear ?? survey.yearOverYear
        self.yearOverYear = policy
        let binder = RuleBinder(form: form, layout: layout,
                                parameters: ["threshold": policy.threshold.value, "minimumBase": policy.minimumBase.value])
        var compiled: [CompiledRule] = []
        for rule in form.rules {
            do {
                let program = try RuleParser.parse(rule.expr)
                compiled.append(CompiledRule(rule: rule, program: program, templateRow: nil, templateID: nil))
            } catch {
                problems.append(CatalogError(form: form.id, reason: "规则 \(rule.id) 语法错误：\(error.description)"))
            }
        }
        do { compiled += try Self.expandTemplates(survey.ruleTemplates, form: form, survey: survey) } catch { problems.append(error) }
        var bound: [BoundRule] = []
        for (index, rule) in compiled.enumerated() {
            do {
                bound += try binder.bind(rule.program, ruleIndex: index, ruleID: rule.rule.id, columns: rule.rule.columns)
            } catch {
                problems.append(error)
            }
        }
        for rule in bound where rule.fastPath == nil {
            if Bytecode.compile(rule.condition) == nil || rule.guardCondition.map({ Bytecode.compile($0) == nil }) == true {
                problems.append(CatalogError(form: form.id, reason: "规则 \(compiled[rule.ruleIndex].rule.id) 的小数位数过多，无法精确计算"))
            }
        }
        if !problems.isEmpty { throw CatalogErrors(errors: problems) }
        self.rules = compiled
        self.bound = bound
        // An id listed twice is the validator's to report (CatalogValidator); compiling goes on with the first.
        let units = Dictionary(survey.units.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let roundable = layout.cells.map { !(units[$0.unit]?.isInteger ?? false) }
        self.roundable = roundable
        self.table = RuleTable(bound, roundable: roundable)
        var firstSlot: [String: Int] = [:], memberNames: [String: String] = [:]
        for (index, cell) in layout.cells.enumerated() {
            if firstSlot[cell.key.code] == nil { firstSlot[cell.key.code] = index }
            if let m = cell.key.member, let name = cell.memberName { memberNames[m] = name }
        }
        self.firstSlotByCode = firstSlot
        self.indicatorIndex = Dictionary(form.allIndicators.enumerated().map { ($0.element.code, $0.offset) }, uniquingKeysWith: { first, _ in first })
        self.memberNames = memberNames
        self.conditionalSlots = layout.cells.enumerated().compactMap { index, cell in
            cell.appliesTo.map { (index, $0) }
        }
        self.columnNames = Dictionary(survey.columns.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        self.units = units
    }

    /// A numeric row as templates see it: code, unit, columns (basic-information fields have `value`).
    private struct TemplateRow {
        var code: String
        var unit: String
        var columns: [ColumnID]
        var allowNegative: Bool
    }

    private static func templateRows(of form: Form) -> [TemplateRow] {
        switch form.kind {
        case .basicInfo:
            var rows: [TemplateRow] = []
            func visit(_ item: Item, prefix: String) {
                let code = prefix.isEmpty ? item.code : prefix + "." + (item.key ?? item.code)
                if item.isNumeric {
                    rows.append(TemplateRow(code: code, unit: item.unit ?? (item.type == .percentage ? "%" : ""),
                                            columns: ["value"], allowNegative: item.allowNegative ?? false))
                }
                for field in item.fields ?? [] { visit(field, prefix: code) }
            }
            for item in form.allItems { visit(item, prefix: "") }
            return rows
        case .indicators, .grid:
            return form.allIndicators.map {
                TemplateRow(code: $0.code, unit: $0.unit, columns: $0.columns, allowNegative: $0.allowNegative ?? false)
            }
        }
    }

    private static func expandTemplates(_ templates: [RuleTemplate], form: Form, survey: Survey) throws(CatalogError) -> [CompiledRule] {
        var expanded: [CompiledRule] = []
        let rows = templateRows(of: form)
        for template in templates {
            let program: RuleProgram
            do { program = try RuleParser.parse(template.expr) } catch {
                throw CatalogError(form: nil, reason: "规则模板 \(template.id) 语法错误：\(error.description)")
            }
            let filter = template.forEach
            for row in rows {
                let unit = survey.unit(row.unit)
                if let kind = filter.unitKind, unit?.kind != kind { continue }
                if let integer = filter.integer, (unit?.isInteger ?? false) != integer { continue }
                if filter.nonNegative == true, row.allowNegative { continue }
                var columns = row.columns
                if let column = filter.column {
                    guard row.columns.contains(column) else { continue }
                    columns = [column]
                }
                let instance = program.substitutingTemplateRow(row.code)
                let rule = Rule(id: "\(form.id)-\(template.id)-\(row.code)", expr: instance.source, columns: columns,
                                severity: template.severity, origin: .template, message: template.message,
                                needsExplanation: template.needsExplanation)
                expanded.append(CompiledRule(rule: rule, program: instance, templateRow: row.code, templateID: template.id))
            }
        }
        return expanded
    }

    public func columnName(_ id: ColumnID) -> String { columnNames[id] ?? id }
}
