import DRSCharts
import DRSCore

/// The chart of a template table, drawn from the same published figures as its table (a withheld
/// figure is a gap labelled with the suppression symbol; geometry may use binary floating point,
/// printed labels never do).
struct ChartBuilder {
    let template: ReportTemplate
    let figures: ReportFigures
    let year: Int

    func nationalChart(_ spec: ReportTemplate.Table) -> Chart? {
        guard let kind = spec.chart?.kind, let firstID = spec.chart?.measure ?? spec.measures.first,
              let first = template.measure(firstID) else { return nil }
        let ids = spec.chart?.measure.map { [$0] } ?? spec.measures.filter { template.measure($0)?.unit == first.unit }
        let largest = ids.flatMap { [figures.figure($0, .national).value, figures.figure($0, .national, lastYear: true).value] }.compactMap { $0 }.max()
        let unit = ReadableUnit.choose(for: first.unit, largest: largest)
        let series = ids.compactMap { id in
            template.measure(id).map { m in
                ChartSeries(name: m.name, values: [figures.figure(id, .national, lastYear: true), figures.figure(id, .national)].map { value($0, unit) })
            }
        }
        let categories = ["\(year - 1)年", "\(year)年"]
        switch kind {
        case .line: return .line(LineChart(title: spec.title, unit: unit.name, categories: categories, series: series))
        default: return .bar(BarChart(title: spec.title, unit: unit.name, categories: categories, series: series))
        }
    }

    func chart(_ spec: ReportTemplate.Table, rows: [(code: String, name: String)], units: [String: ReadableUnit]) -> Chart? {
        guard let kind = spec.chart?.kind, let id = spec.chart?.measure ?? spec.measures.first, let m = template.measure(id),
              let unit = units[id] else { return nil }
        let keys = rows.map { FigureKey(breakdown: spec.breakdown, code: $0.code) }
        let names = rows.map { spec.breakdown == .province ? BreakdownCodes.shortName($0.name) : $0.name }
        switch kind {
        case .tileMap:
            var values: [String: ChartValue] = [:]
            for key in keys { values[key.code] = value(figures.figure(id, key), unit) }
            return .tileMap(TileMap(title: spec.title, unit: unit.name, values: values))
        case .bar, .line:
            let series = [ChartSeries(name: m.name, values: keys.map { value(figures.figure(id, $0), unit) })]
            return .bar(BarChart(title: spec.title, unit: unit.name, categories: names, series: series, horizontal: rows.count > 8))
        case .stackedShare:
            return .stackedShare(StackedShareChart(title: spec.title, categories: names, parts: shares(spec, keys: keys)))
        }
    }

    /// Each part's share of the row's parts, in percent; a row with a withheld part shows none.
    private func shares(_ spec: ReportTemplate.Table, keys: [FigureKey]) -> [ChartSeries] {
        let parts = spec.measures.compactMap { id in template.measure(id).map { (id, $0.name) } }
        var values = Array(repeating: [ChartValue?](), count: parts.count)
        for key in keys {
            let row = parts.map { figures.figure($0.0, key) }
            let total = row.compactMap(\.value).reduce(ExactDecimal.zero) { (try? $0.adding($1)) ?? $0 }
            let withheld = row.contains { $0.status == .suppressed }
            for (i, f) in row.enumerated() {
                if withheld { values[i].append(.suppressed(ReportDocument.suppressedSymbol)); continue }
                guard let v = f.value, let share = v.quotient(dividedBy: total, times: 100, decimals: 1) else { values[i].append(.missing()); continue }
                values[i].append(ChartValue(share.approximateDouble, label: ReadableUnit.grouped(share, decimals: 1)))
            }
        }
        return zip(parts, values).map { ChartSeries(name: $0.0.1, values: $0.1) }
    }

    func value(_ f: PublishedFigure, _ unit: ReadableUnit) -> ChartValue {
        switch f.status {
        case .suppressed: return .suppressed(ReportDocument.suppressedSymbol)
        case .empty: return .missing()
        case .published:
            guard let v = f.value, let converted = unit.convert(v) else { return .missing() }
            return ChartValue(converted.approximateDouble, label: unit.text(v))
        }
    }
}
