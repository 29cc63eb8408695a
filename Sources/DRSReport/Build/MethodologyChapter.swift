import DRSCore

/// The methodology chapter: the template's fixed text, then coverage and response by province and
/// respondent type, computed from the registry (counts of units, which the survey's frame makes public).
struct MethodologyChapter {
    let template: ReportTemplate
    let input: ReportInput
    let codes: BreakdownCodes

    func build() -> (ReportChapter, [PublishedCell]) {
        let assigned = input.coverage.count, verified = input.coverage.lazy.filter(\.verified).count
        let printedRules = input.catalog.forms.values.reduce(0) { $0 + $1.rules.lazy.filter { $0.rule.origin == .printed }.count }
        var paragraphs = [
            "本报告的数据来自\(input.year)年全国数据资源调查经核定的报表：应报单位\(ReadableUnit.grouped(ExactDecimal(assigned), decimals: 0))家，核定\(ReadableUnit.grouped(ExactDecimal(verified), decimals: 0))家，核定率\(rate(verified, assigned))。各表在核定前均通过\(printedRules)条审核关系及同比审核。",
        ]
        paragraphs += template.methodology.paragraphs.map { $0.replacingYear(input.year) }
        var cells: [PublishedCell] = []
        let byProvince = coverageTable(id: "M-1", title: "分省份调查覆盖与核定情况", breakdown: .province, cells: &cells)
        let byType = coverageTable(id: "M-2", title: "分调查对象类型调查覆盖与核定情况", breakdown: .type, cells: &cells)
        return (ReportChapter(id: "methodology", title: template.methodology.title, paragraphs: paragraphs, tables: [byProvince, byType]), cells)
    }

    private func coverageTable(id: String, title: String, breakdown: ReportTemplate.Breakdown, cells: inout [PublishedCell]) -> ReportTable {
        var counts: [String: (assigned: Int, verified: Int)] = [:]
        for entry in input.coverage {
            let code = breakdown == .province ? entry.province : entry.type
            let old = counts[code] ?? (0, 0)
            counts[code] = (old.assigned + 1, old.verified + (entry.verified ? 1 : 0))
        }
        var rows: [ReportRow] = []
        let all = (input.coverage.count, input.coverage.lazy.filter(\.verified).count)
        for row in codes.rows(breakdown) + [(code: "Total", name: "全国合计")] {
            let c = row.code == "Total" ? all : (counts[row.code] ?? (0, 0))
            if row.code != "Total", c.0 == 0 { continue }
            rows.append(ReportRow(label: row.name, cells: [String(c.0), String(c.1), rate(c.1, c.0)]))
            let key = row.code == "Total" ? FigureKey.national : FigureKey(breakdown: breakdown, code: row.code)
            for (column, value) in [("assigned", ExactDecimal(c.0)), ("verified", ExactDecimal(c.1))] {
                cells.append(PublishedCell(table: id, form: "registry", indicator: "units", column: column,
                                           province: key.breakdown == .province ? key.code : "Total", respType: key.breakdown == .type ? key.code : "Total",
                                           industry: "Total", value: value, suppressed: false, contributors: c.0,
                                           filter: "year=\(input.year); units asked to report (\(column))"))
            }
        }
        return ReportTable(id: id, title: title, rowHeader: BreakdownCodes.header(breakdown), columns: ["应报单位数", "核定单位数", "核定率（%）"],
                           rows: rows, chart: nil, notes: [])
    }

    private func rate(_ part: Int, _ whole: Int) -> String {
        guard let r = ExactDecimal(part).quotient(dividedBy: ExactDecimal(whole), times: 100, decimals: 1) else { return ReportDocument.emptySymbol }
        return ReadableUnit.grouped(r, decimals: 1) + "%"
    }
}

extension String {
    func replacingYear(_ year: Int) -> String {
        replacing("{prevYear}", with: String(year - 1)).replacing("{year}", with: String(year))
    }
}
