/// What a published cell is read from: the forms and cells of a measure, and the filter of its row.
struct CellProvenance: Sendable {
    let template: ReportTemplate

    /// `E2|E5` and `11|01` (aligned), with `16[06]` for a weighted mean and `06/04` for a ratio.
    func sources(_ id: String) -> (form: String, indicator: String) {
        guard let m = template.measure(id) else { return ("", "") }
        switch m.kind {
        case .sum: return (m.sources.map(\.form).joined(separator: "|"), m.sources.map(\.indicator).joined(separator: "|"))
        case .weightedMean:
            return (m.sources.map(\.form).joined(separator: "|"),
                    m.sources.map { "\($0.indicator)[\($0.weight ?? "")]" }.joined(separator: "|"))
        case .ratio:
            guard let n = m.numerator.flatMap(template.measure), let d = m.denominator.flatMap(template.measure) else { return ("", "") }
            let forms = n.sources.map(\.form).filter { f in d.sources.contains { $0.form == f } }
            let pairs = forms.map { f in
                "\(n.sources.first { $0.form == f }?.indicator ?? "")/\(d.sources.first { $0.form == f }?.indicator ?? "")"
            }
            return (forms.joined(separator: "|"), pairs.joined(separator: "|"))
        }
    }

    /// The filter in words, for the national office's provenance file.
    func filter(_ key: FigureKey, year: Int, column: String) -> String {
        var parts = ["year=\(year)", "status=verified", "column=\(column)"]
        switch key.breakdown {
        case .national: break
        case .province: parts.append("province=\(key.code)")
        case .type: parts.append("resp_type=\(key.code)")
        case .industry: parts.append("industry=\(key.code)")
        }
        parts.append("subsidiaries consolidated by their headquarters excluded")
        return parts.joined(separator: "; ")
    }
}
