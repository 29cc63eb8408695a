import DRSCore
import DRSDisclosure

/// Every figure the report can quote, already through disclosure control: this year's and last
/// year's protected measures, and the growth of the units that reported in both years.
public struct ReportFigures: Sendable {
    let template: ReportTemplate
    let current: [String: ProtectedMeasure]
    let previous: [String: ProtectedMeasure]
    /// Per sum measure: this year's and last year's national sums over the units in both years.
    let matched: [String: (current: ExactDecimal, previous: ExactDecimal)]
    /// Decimals of shares, growth rates and percentages.
    public static let percentDecimals = 2

    /// The row's figure of any measure: a sum, a weighted mean or a ratio.
    public func figure(_ id: String, _ key: FigureKey, lastYear: Bool = false) -> PublishedFigure {
        guard let measure = template.measure(id) else { return .empty }
        let measures = lastYear ? previous : current
        switch measure.kind {
        case .sum:
            return measures[id]?.figure(key) ?? .empty
        case .weightedMean:
            guard let mean = measures[id]?.weightedMean(key, decimals: Self.percentDecimals) else { return .empty }
            // The mean times its published weight would give the weighted sum: both must be safe.
            let weight = measure.denominator.map { figure($0, key, lastYear: lastYear) } ?? .empty
            return PublishedFigure.derived(mean.value, from: [mean, weight], contributors: mean.contributors)
        case .ratio:
            guard let n = measure.numerator, let d = measure.denominator else { return .empty }
            let top = figure(n, key, lastYear: lastYear), bottom = figure(d, key, lastYear: lastYear)
            let value = top.value.flatMap { t in bottom.value.flatMap { t.quotient(dividedBy: $0, times: measure.percent ? 100 : 1, decimals: Self.percentDecimals) } }
            return PublishedFigure.derived(value, from: [top, bottom], contributors: max(top.contributors, bottom.contributors))
        }
    }

    /// The row's share of the national figure, in percent (sum measures).
    public func share(_ id: String, _ key: FigureKey) -> PublishedFigure {
        let part = figure(id, key), whole = figure(id, .national)
        let value = part.value.flatMap { p in whole.value.flatMap { p.quotient(dividedBy: $0, times: 100, decimals: Self.percentDecimals) } }
        return PublishedFigure.derived(value, from: [part, whole], contributors: part.contributors)
    }

    /// National growth on last year's national figure, all respondents, in percent.
    public func growth(_ id: String) -> PublishedFigure {
        let now = figure(id, .national), then = figure(id, .national, lastYear: true)
        let value = now.value.flatMap { n in then.value.flatMap { n.percentChange(from: $0, decimals: Self.percentDecimals) } }
        return PublishedFigure.derived(value, from: [now, then], contributors: now.contributors)
    }

    /// National growth of the units that reported (and were verified) in both years, in percent.
    public func growthMatched(_ id: String) -> PublishedFigure {
        guard let pair = matched[id] else { return .empty }
        let now = figure(id, .national)
        let value = pair.current.percentChange(from: pair.previous, decimals: Self.percentDecimals)
        return PublishedFigure.derived(value, from: [now], contributors: now.contributors)
    }

    /// The published rows of a breakdown ordered by the measure, largest first.
    public func ranking(_ id: String, _ breakdown: ReportTemplate.Breakdown, codes: [String]) -> [(code: String, value: ExactDecimal)] {
        codes.compactMap { code in figure(id, FigureKey(breakdown: breakdown, code: code)).value.map { (code, $0) } }
            .sorted { ($0.value, $1.code) > ($1.value, $0.code) }
    }
}

extension ReportFigures {
    /// What one task yields: a measure of one year protected, and for this year's sum measures the
    /// sums over the units in both years (read from the same figures).
    private struct Job: Sendable {
        var id: String
        var lastYear: Bool
        var result: Result<ProtectedMeasure, ProtectedMeasure.Failure>
        var matched: (current: ExactDecimal, previous: ExactDecimal)?
    }

    /// Protects every sum and weighted-mean measure of both years, one task per measure and year.
    static func protect(_ template: ReportTemplate, input: ReportInput, rules: SafetyRules,
                        suppression: SecondarySuppression) async throws(ProtectedMeasure.Failure) -> ReportFigures {
        let jobs = template.measures.filter { $0.kind != .ratio }.flatMap { m in [(m, false), (m, true)] }
        let results = await withTaskGroup(of: Job.self) { group in
            for (measure, lastYear) in jobs {
                group.addTask {
                    let reader = MeasureReader(measure: measure, catalog: input.catalog)
                    let figures = reader.figures(lastYear ? input.lastYearRecords : input.records)
                    let matched = !lastYear && measure.kind == .sum ? matchedSums(figures, reader: reader, input) : nil
                    do throws(ProtectedMeasure.Failure) {
                        let protected = try ProtectedMeasure.protect(measure.id, figures: figures, rules: rules, suppression: suppression)
                        return Job(id: measure.id, lastYear: lastYear, result: .success(protected), matched: matched)
                    } catch {
                        return Job(id: measure.id, lastYear: lastYear, result: .failure(error), matched: matched)
                    }
                }
            }
            var all: [Job] = []
            for await job in group { all.append(job) }
            return all
        }
        var current: [String: ProtectedMeasure] = [:], previous: [String: ProtectedMeasure] = [:]
        var matched: [String: (current: ExactDecimal, previous: ExactDecimal)] = [:]
        for job in results {
            switch job.result {
            case .success(let p): if job.lastYear { previous[job.id] = p } else { current[job.id] = p }
            case .failure(let error): throw error
            }
            if let pair = job.matched { matched[job.id] = pair }
        }
        return ReportFigures(template: template, current: current, previous: previous, matched: matched)
    }

    /// Σ this year and Σ last year over the units with the cell in both years.
    static func matchedSums(_ now: [UnitFigure], reader: MeasureReader, _ input: ReportInput) -> (current: ExactDecimal, previous: ExactDecimal) {
        let then = reader.figures(input.records, lastYear: true)
        let thenByUnit = Dictionary(then.map { ("\($0.form)/\($0.unit)", $0.value) }, uniquingKeysWith: { a, _ in a })
        var a: Int128 = 0, b: Int128 = 0
        for f in now {
            guard let last = thenByUnit["\(f.form)/\(f.unit)"], let x = f.value.rescaled(to: CellValues.scale),
                  let y = last.rescaled(to: CellValues.scale) else { continue }
            a &+= x.units
            b &+= y.units
        }
        return (ExactDecimal(units: a, scale: CellValues.scale), ExactDecimal(units: b, scale: CellValues.scale))
    }
}
