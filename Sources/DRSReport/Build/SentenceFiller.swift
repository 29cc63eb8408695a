import DRSCore

/// Fills a sentence pattern of the template with published figures only: a withheld figure is
/// quoted as the suppression symbol, never as a number.
///
/// Patterns: `{year}`, `{prevYear}`, `{m}` (the national figure of measure m with its readable
/// unit), `{m.prev}`, `{m.growth}`, `{m.growthMatched}` (percent), `{m.topShare:6}` (the share of
/// the six largest published provinces), `{m.topNames:6}`, `{m.topType}` (the largest published
/// respondent type and its share).
struct SentenceFiller {
    let template: ReportTemplate
    let figures: ReportFigures
    let codes: BreakdownCodes
    let year: Int

    func fill(_ pattern: String) -> String {
        var out = "", token = "", inToken = false
        for c in pattern {
            if c == "{" { inToken = true; token = ""; continue }
            if c == "}", inToken { out += resolve(token); inToken = false; continue }
            if inToken { token.append(c) } else { out.append(c) }
        }
        if inToken { out += "{" + token }
        return out
    }

    private func resolve(_ token: String) -> String {
        if token == "year" { return String(year) }
        if token == "prevYear" { return String(year - 1) }
        let (path, argument) = split(token, ":")
        let (id, field) = split(path, ".")
        guard let m = template.measure(id) else { return "{\(token)}" }
        let n = Int(argument ?? "") ?? 6
        switch field {
        case nil: return quantity(figures.figure(id, .national), m)
        case "prev"?: return quantity(figures.figure(id, .national, lastYear: true), m)
        case "growth"?: return percent(figures.growth(id))
        case "growthMatched"?: return percent(figures.growthMatched(id))
        case "topShare"?: return percent(topShare(id, n))
        case "topNames"?: return topNames(id, n)
        case "topType"?: return topType(id)
        default: return "{\(token)}"
        }
    }

    private func split(_ s: String, _ separator: Character) -> (String, String?) {
        guard let i = s.firstIndex(of: separator) else { return (s, nil) }
        return (String(s[..<i]), String(s[s.index(after: i)...]))
    }

    func quantity(_ f: PublishedFigure, _ m: ReportTemplate.Measure) -> String {
        guard f.status == .published, let v = f.value else { return f.status == .suppressed ? ReportDocument.suppressedSymbol : ReportDocument.emptySymbol }
        let unit = ReadableUnit.choose(for: m.unit, largest: v)
        return unit.text(v) + (unit.name == "%" ? "%" : " " + unit.name)
    }

    func percent(_ f: PublishedFigure) -> String {
        guard f.status == .published, let v = f.value else { return f.status == .suppressed ? ReportDocument.suppressedSymbol : ReportDocument.emptySymbol }
        return ReadableUnit.grouped(v, decimals: ReportFigures.percentDecimals) + "%"
    }

    /// Σ of the n largest published provinces over the national figure: derived from published cells only.
    func topShare(_ id: String, _ n: Int) -> PublishedFigure {
        let top = figures.ranking(id, .province, codes: codes.provinces.map(\.code)).prefix(n)
        let national = figures.figure(id, .national)
        let sum = top.reduce(ExactDecimal.zero) { (try? $0.adding($1.value)) ?? $0 }
        let value = national.value.flatMap { sum.quotient(dividedBy: $0, times: 100, decimals: ReportFigures.percentDecimals) }
        return PublishedFigure.derived(value, from: [national], contributors: national.contributors)
    }

    func topNames(_ id: String, _ n: Int) -> String {
        let names = Dictionary(codes.provinces.map { ($0.code, BreakdownCodes.shortName($0.name)) }, uniquingKeysWith: { a, _ in a })
        return figures.ranking(id, .province, codes: codes.provinces.map(\.code)).prefix(n).compactMap { names[$0.code] }.joined(separator: "、")
    }

    func topType(_ id: String) -> String {
        guard let top = figures.ranking(id, .type, codes: codes.types.map(\.code)).first,
              let name = codes.types.first(where: { $0.code == top.code })?.name else { return ReportDocument.emptySymbol }
        return "\(name)（占\(percent(figures.share(id, FigureKey(breakdown: .type, code: top.code)))))"
    }
}
