import DRSCharts
import DRSCore

/// Lays out one template table: its rows, printed cells, chart, and one `PublishedCell` per cell.
struct TableBuilder {
    let template: ReportTemplate
    let figures: ReportFigures
    let codes: BreakdownCodes
    let year: Int
    var provenance: CellProvenance { CellProvenance(template: template) }

    func build(_ spec: ReportTemplate.Table) -> (ReportTable, [PublishedCell]) {
        spec.breakdown == .national ? national(spec) : breakdown(spec)
    }

    /// Rows are measures: last year, this year, growth of all respondents and of units in both years.
    private func national(_ spec: ReportTemplate.Table) -> (ReportTable, [PublishedCell]) {
        var rows: [ReportRow] = [], cells: [PublishedCell] = []
        for id in spec.measures {
            guard let m = template.measure(id) else { continue }
            let now = figures.figure(id, .national), then = figures.figure(id, .national, lastYear: true)
            let unit = ReadableUnit.choose(for: m.unit, largest: [now.value, then.value].compactMap { $0 }.max())
            let growth = m.kind == .sum ? figures.growth(id) : .empty
            let matched = m.kind == .sum ? figures.growthMatched(id) : .empty
            rows.append(ReportRow(label: "\(m.name)（\(unit.name)）", cells: [text(then, unit), text(now, unit), percent(growth), percent(matched)]))
            for (figure, column) in [(then, m.column + "/lastYear"), (now, m.column), (growth, m.column + "/growth"), (matched, m.column + "/growthMatched")]
            where !(m.kind != .sum && column.contains("/growth")) {
                cells.append(contentsOf: cell(spec, id, .national, column: column, figure, year: column.hasSuffix("/lastYear") ? year - 1 : year))
            }
        }
        let table = ReportTable(id: spec.id, title: spec.title, rowHeader: "指标",
                                columns: ["\(year - 1)年", "\(year)年", "比上年增长（%）", "同口径增长（%）"], rows: rows,
                                chart: nationalChart(spec), notes: ["同口径增长：两年均报送并经核定的单位的增长。"])
        return (table, cells)
    }

    /// Rows are provinces, types or industries, then the national total; per measure its figure,
    /// and on request the share of the national figure and the rank.
    private func breakdown(_ spec: ReportTemplate.Table) -> (ReportTable, [PublishedCell]) {
        let rowsSpec = codes.rows(spec.breakdown).filter { row in
            spec.breakdown != .type || spec.measures.contains { figures.figure($0, FigureKey(breakdown: .type, code: row.code)).status != .empty }
        }
        var columns: [String] = [], units: [String: ReadableUnit] = [:]
        for id in spec.measures {
            guard let m = template.measure(id) else { continue }
            let unit = ReadableUnit.choose(for: m.unit, largest: figures.figure(id, .national).value)
            units[id] = unit
            columns.append("\(m.name)（\(unit.name)）")
            if spec.share == true, m.kind == .sum { columns.append("占全国比重（%）") }
        }
        let first = spec.measures.first ?? ""
        let ranked = figures.ranking(first, spec.breakdown, codes: rowsSpec.map(\.code))
        let ranks = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($0.element.code, $0.offset + 1) })
        if spec.rank == true { columns.append("位次") }
        var rows: [ReportRow] = [], cells: [PublishedCell] = []
        for row in rowsSpec + [(code: "Total", name: "全国合计")] {
            let key = row.code == "Total" ? FigureKey.national : FigureKey(breakdown: spec.breakdown, code: row.code)
            var printed: [String] = []
            for id in spec.measures {
                guard let m = template.measure(id), let unit = units[id] else { continue }
                let f = figures.figure(id, key)
                printed.append(text(f, unit))
                cells.append(contentsOf: cell(spec, id, key, column: m.column, f, year: year))
                if spec.share == true, m.kind == .sum {
                    let s = figures.share(id, key)
                    printed.append(percent(s))
                    cells.append(contentsOf: cell(spec, id, key, column: m.column + "/share", s, year: year))
                }
            }
            if spec.rank == true {
                let rank = key == .national ? nil : ranks[row.code]
                printed.append(rank.map(String.init) ?? (key == .national ? "" : ReportDocument.suppressedSymbolIfWithheld(figures.figure(first, key))))
                if let rank {
                    cells.append(contentsOf: cell(spec, first, key, column: (template.measure(first)?.column ?? "cur") + "/rank",
                                      PublishedFigure(value: ExactDecimal(rank), status: .published, contributors: figures.figure(first, key).contributors), year: year))
                }
            }
            rows.append(ReportRow(label: row.name, cells: printed))
        }
        let table = ReportTable(id: spec.id, title: spec.title, rowHeader: BreakdownCodes.header(spec.breakdown), columns: columns,
                                rows: rows, chart: ChartBuilder(template: template, figures: figures, year: year).chart(spec, rows: rowsSpec, units: units),
                                notes: spec.rank == true ? ["位次按公布的数值排列，不含保密单元格。"] : [])
        return (table, cells)
    }

    private func nationalChart(_ spec: ReportTemplate.Table) -> Chart? {
        ChartBuilder(template: template, figures: figures, year: year).nationalChart(spec)
    }

    func text(_ f: PublishedFigure, _ unit: ReadableUnit) -> String {
        switch f.status {
        case .published: f.value.map(unit.text) ?? ReportDocument.emptySymbol
        case .suppressed: ReportDocument.suppressedSymbol
        case .empty: ReportDocument.emptySymbol
        }
    }

    func percent(_ f: PublishedFigure) -> String {
        text(f, ReadableUnit(name: "%", factor: 1, decimals: ReportFigures.percentDecimals))
    }

    /// The cell for `cells.csv`: a sum nobody reported is a published 0; an undefined ratio, share
    /// or growth (nothing to divide by) is no figure and has no row.
    private func cell(_ spec: ReportTemplate.Table, _ id: String, _ key: FigureKey, column: String, _ f: PublishedFigure, year: Int) -> [PublishedCell] {
        let (form, indicator) = provenance.sources(id)
        var f = f
        if f.status == .empty {
            guard template.measure(id)?.kind == .sum, !column.contains("/") || column.hasSuffix("/lastYear") else { return [] }
            f = PublishedFigure(value: .zero, status: .published, contributors: 0)
        }
        return [PublishedCell(table: spec.id, form: form, indicator: indicator, column: column,
                             province: key.breakdown == .province ? key.code : "Total", respType: key.breakdown == .type ? key.code : "Total",
                             industry: key.breakdown == .industry ? key.code : "Total", value: f.status == .published ? f.value : nil,
                             suppressed: f.status == .suppressed, contributors: f.contributors,
                             filter: provenance.filter(key, year: year, column: column))]
    }
}

extension ReportDocument {
    /// The symbol printed in a rank column for a row that has no rank.
    static func suppressedSymbolIfWithheld(_ f: PublishedFigure) -> String {
        f.status == .suppressed ? suppressedSymbol : emptySymbol
    }
}
