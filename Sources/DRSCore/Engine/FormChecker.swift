/// Checks submissions of one form against every rule of the catalog.
extension CompiledForm {
    /// Checks a submission's figures.
    /// - Parameters:
    ///   - lastYear: last year's verified figures of the same unit (cross-period checks are skipped without them).
    ///   - explanations: the filer's written explanations by row code (answering year-over-year warnings).
    ///   - profile: the unit's flags; when given, figures in rows the unit does not fill are errors.
    public func check(_ values: CellValues, lastYear: CellValues? = nil, explanations: [String: String] = [:],
                      profile: UnitProfile? = nil) -> CheckReport {
        precondition(values.count == layout.count, "values do not belong to this form's layout")
        var report = CheckReport()
        table.evaluate(values, lastYear: lastYear) { index, outcome in
            if outcome == .withinRounding {
                report.notes.append(roundingNote(bound[index], values))
            } else {
                report.append(violation(bound[index], values, lastYear, explanations, overflow: outcome == .overflow))
            }
        }
        if let profile {
            for (slot, appliesTo) in conditionalSlots where values.present[slot] && !appliesTo.applies(to: profile) {
                report.errors.append(notApplicable(slot: slot, appliesTo: appliesTo, values: values))
            }
        }
        let skipped = skippedRows(profile: profile)
        if !skipped.isEmpty {
            for (slot, cell) in layout.cells.enumerated() where values.present[slot] {
                if let reason = skipped[cell.key.code] { report.errors.append(notAsked(slot: slot, reason: reason, values: values)) }
            }
        }
        report.missing = missingCells(values, profile: profile)
        return report
    }

    /// A figure in a row the unit's own answer skips (企业1表 Q10 = 否 and AI-product figures).
    private func notAsked(slot: Int, reason: String, values: CellValues) -> Violation {
        let cell = layout.cells[slot]
        return Violation(form: form.id, ruleID: "\(form.id)-ASKED-\(cell.key.code)", expression: "condition(\(cell.key.code))",
                         seed: nil, severity: .error, origin: .implied, column: cell.key.column,
                         columnName: columnName(cell.key.column), member: cell.key.member, memberName: cell.memberName,
                         cells: [describeCell(slot, values, lastYear: false)],
                         message: "\(cell.name)[\(cell.key.code)]：\(reason)，请清空\(context(column: cell.key.column, memberName: cell.memberName))",
                         needsExplanation: false, explanation: nil)
    }

    /// A sum rule that fails only by a rounding difference: a note for the filer and the reviewer.
    private func roundingNote(_ bound: BoundRule, _ values: CellValues) -> Violation {
        var note = violation(bound, values, nil, [:], overflow: false)
        note.severity = .note
        if let rounding = roundingDifference(bound, values) {
            note.message += "：相差 \(rounding.difference.grouped)，在四舍五入允许范围（±\(rounding.allowance.grouped)）内，请核实"
        }
        return note
    }

    private func notApplicable(slot: Int, appliesTo: Applicability, values: CellValues) -> Violation {
        let cell = layout.cells[slot]
        let where_ = context(column: cell.key.column, memberName: cell.memberName)
        return Violation(form: form.id, ruleID: "\(form.id)-APPLIES-\(cell.key.code)", expression: "appliesTo(\(appliesTo.rawValue))",
                         seed: nil, severity: .error, origin: .implied, column: cell.key.column,
                         columnName: columnName(cell.key.column), member: cell.key.member, memberName: cell.memberName,
                         cells: [describeCell(slot, values, lastYear: false)],
                         message: "\(cell.name)[\(cell.key.code)]\(appliesTo.chineseName)，本单位不应填写\(where_)",
                         needsExplanation: false, explanation: nil)
    }

    private func violation(_ bound: BoundRule, _ values: CellValues, _ lastYear: CellValues?,
                           _ explanations: [String: String], overflow: Bool) -> Violation {
        let compiled = rules[bound.ruleIndex]
        let rule = compiled.rule
        let memberName = bound.member.flatMap { memberNames[$0] }
        var cells = bound.currentSlots.map { describeCell($0, values, lastYear: false) }
        if let lastYear { cells += bound.lastYearSlots.map { describeCell($0, lastYear, lastYear: true) } }
        // Put the row the rule is about first: the template row, or the left-hand side's first cell.
        if let row = compiled.templateRow, let i = cells.firstIndex(where: { $0.code == row && !$0.lastYear }), i > 0 {
            cells.insert(cells.remove(at: i), at: 0)
        } else if case .comparison(let lhs, _, _) = compiled.program.condition,
                  case .cell(let reference) = lhs, let i = cells.firstIndex(where: { $0.code == reference.code }), i > 0 {
            cells.insert(cells.remove(at: i), at: 0)
        }
        let message: String
        if overflow {
            message = "数值过大，无法精确核对规则 \(rule.expr)\(context(column: bound.column, memberName: memberName))"
        } else if let template = rule.message, compiled.templateRow != nil {
            message = fillTemplate(template, compiled, bound, values, lastYear, memberName: memberName)
        } else {
            let detail = describeComparison(compiled.program, bound, values, lastYear, memberName: memberName)
            message = rule.message.map { "\($0)：\(detail)" } ?? detail
        }
        let explanation = compiled.templateRow.flatMap { explanations[$0] } ?? cells.first.flatMap { explanations[$0.code] }
        return Violation(form: form.id, ruleID: rule.id, expression: rule.expr, seed: rule.seed,
                         severity: overflow ? .error : rule.severity, origin: rule.origin, column: bound.column,
                         columnName: columnName(bound.column), member: bound.member, memberName: memberName,
                         cells: cells, message: message, needsExplanation: rule.needsExplanation ?? false,
                         explanation: (rule.needsExplanation ?? false) ? explanation : nil)
    }

    private func describeCell(_ slot: Int, _ values: CellValues, lastYear: Bool) -> Violation.Cell {
        let cell = layout.cells[slot]
        return Violation.Cell(code: cell.key.code, column: cell.key.column, member: cell.key.member, name: cell.name,
                              value: values[slot]?.description, lastYear: lastYear)
    }

    /// （截至本年） or （本年实际，北京市）; nothing for basic-information fields.
    func context(column: ColumnID, memberName: String?) -> String {
        var parts: [String] = []
        if column != "value" { parts.append(columnName(column)) }
        if let memberName { parts.append(memberName) }
        return parts.isEmpty ? "" : "（" + parts.joined(separator: "，") + "）"
    }

    /// 「数据生产总量[01]=120 应 ≥ 设备设施采集数据总量[02]+系统/软件生成数据总量[03]=150（截至本年）」
    private func describeComparison(_ program: RuleProgram, _ bound: BoundRule, _ values: CellValues,
                                    _ lastYear: CellValues?, memberName: String?) -> String {
        let where_ = context(column: bound.column, memberName: memberName)
        guard case .comparison(let lhs, let op, let rhs) = program.condition,
              case .comparison(let boundL, _, let boundR) = bound.condition else {
            return "不满足规则 \(program.source)\(where_)"
        }
        func side(_ e: RuleExpression, _ b: BoundExpression) -> String {
            let text = e.render(precedence: 0, spaced: false) { name(of: $0, column: bound.column) }
            if e.isLiteral { return text }
            let value = (try? b.value(values, lastYear))?.grouped ?? "?"
            return "\(text)=\(value)"
        }
        return "\(side(lhs, boundL)) 应 \(op.symbol) \(side(rhs, boundR))\(where_)"
    }

    /// 数据生产总量[01], 已备案网络系统总数[01]各地区之和, 数据生产总量[01:截至本年]
    private func name(of reference: CellReference, column: ColumnID) -> String {
        let row = firstSlotByCode[reference.code].map { layout.cells[$0] }
        var text = (row?.name ?? "") + "[\(reference.code)]"
        if let c = reference.column, c != column { text += "（\(columnName(c))）" }
        switch reference.member {
        case .allMembers: text += "各分组之和"
        case .member(let m):
            if let memberName = memberNames[m] {
                text += "（\(memberName)）"
            }
        case nil: break
        }
        return text
    }

    private func fillTemplate(_ template: String, _ compiled: CompiledRule, _ bound: BoundRule, _ values: CellValues,
                              _ lastYear: CellValues?, memberName: String?) -> String {
        let row = compiled.templateRow ?? ""
        let slot = layout.slot(code: row, column: bound.column, member: layout.membersByRow[row] == nil ? nil : bound.member)
        let cell = slot.map { layout.cells[$0] }
        let value = slot.flatMap { values[$0] }
        let last = bound.lastYearSlots.first.flatMap { lastYear?[$0] }
        var replacements: [String: String] = [
            "{name}": (cell?.name ?? row) + (memberName.map { "（\($0)）" } ?? ""),
            "{code}": row,
            "{column}": columnName(bound.column),
            "{value}": value?.grouped ?? "空",
            "{last}": last?.grouped ?? "空",
            "{unit}": cell?.unit ?? "",
            "{threshold}": yearOverYear.threshold.value.description,
        ]
        replacements["{change}"] = Self.percentChange(from: last, to: value)
        return Self.fill(template, replacements)
    }

    /// Replaces `{key}` placeholders in one pass; unknown placeholders stay as written.
    static func fill(_ template: String, _ replacements: [String: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let key = String(rest[open...close])
            out += replacements[key] ?? key
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// "+75.0%" — for display only; the decision was made on exact figures.
    static func percentChange(from last: ExactDecimal?, to value: ExactDecimal?) -> String {
        guard let last, let value, let change = value.percentChange(from: last) else { return "—" }
        return change.signedPercentText
    }
}

