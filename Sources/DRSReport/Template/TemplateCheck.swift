import DRSCore

extension ReportTemplate {
    /// Everything in the template that the catalog cannot answer, in Chinese (empty when usable).
    public func problems(catalog: CompiledCatalog) -> [String] {
        var found: [String] = []
        let ids = Set(measures.map(\.id))
        if ids.count != measures.count { found.append("报告模板中有重复的指标标识") }
        for m in measures { found += problems(of: m, catalog: catalog, ids: ids) }
        for chapter in chapters {
            for table in chapter.tables {
                for id in table.measures where measure(id) == nil { found.append("表 \(table.id)：未定义的指标「\(id)」") }
                if table.chart?.kind == .tileMap, table.breakdown != .province { found.append("表 \(table.id)：分省地图只能用于分省份的表") }
                if let id = table.chart?.measure, !table.measures.contains(id) { found.append("表 \(table.id)：图中的指标「\(id)」不在表中") }
            }
        }
        return found
    }

    private func problems(of m: Measure, catalog: CompiledCatalog, ids: Set<String>) -> [String] {
        var found: [String] = []
        switch m.kind {
        case .sum, .weightedMean:
            if m.sources.isEmpty { found.append("指标 \(m.id)：没有来源") }
            for s in m.sources {
                guard let form = catalog.forms[s.form] else { found.append("指标 \(m.id)：未知的报表「\(s.form)」"); continue }
                if RowValue(form: form, code: s.indicator, column: m.column) == nil {
                    found.append("指标 \(m.id)：\(s.form) 没有指标 \(s.indicator) 的「\(m.column)」栏")
                }
                for code in s.requires ?? [] where RowValue(form: form, code: code, column: m.column) == nil {
                    found.append("指标 \(m.id)：\(s.form) 没有所需指标 \(code) 的「\(m.column)」栏")
                }
                if m.kind == .weightedMean, s.weight.flatMap({ RowValue(form: form, code: $0, column: m.column) }) == nil {
                    found.append("指标 \(m.id)：\(s.form) 的加权平均缺少权数指标")
                }
            }
            if m.kind == .weightedMean, m.denominator.map({ measure($0)?.kind == .sum }) != true {
                found.append("指标 \(m.id)：加权平均须以 denominator 指明权数的合计指标")
            }
        case .ratio:
            for part in [m.numerator, m.denominator] where part.map({ measure($0)?.kind == .sum }) != true {
                found.append("指标 \(m.id)：比率的分子、分母须为合计指标")
            }
        }
        return found
    }
}
