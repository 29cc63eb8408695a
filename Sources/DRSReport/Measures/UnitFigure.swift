import DRSCore

/// One unit's figure for a measure: the value summed, and for a weighted mean the weight beside
/// the exact product (Σ w·x / Σ w is divided once, at the end).
struct UnitFigure: Sendable {
    var record: Int
    var form: String
    var unit: String
    var province: String
    var type: String
    var industry: String
    var holding: String?
    /// The summed value (for a weighted mean: w·x / 100 rounded to the cell scale, used only for
    /// the safety rules; the published mean uses `product` exactly).
    var value: ExactDecimal
    var weight: ExactDecimal?
    /// w·x exactly (scale 2 × cell scale), weighted means only.
    var product: Int128?
}

/// Reads a measure's figure from each unit's submission: the cell named by the measure's source for
/// the form the unit files. Units without the cell (not asked, or left blank) contribute nothing.
struct MeasureReader: Sendable {
    let measure: ReportTemplate.Measure
    let catalog: CompiledCatalog

    func figures(_ records: [String: [ReportRecord]], lastYear: Bool = false) -> [UnitFigure] {
        var found: [UnitFigure] = []
        for source in measure.sources {
            guard let form = catalog.forms[source.form], let cell = RowValue(form: form, code: source.indicator, column: measure.column),
                  let rows = records[source.form] else { continue }
            let weightCell = source.weight.flatMap { RowValue(form: form, code: $0, column: measure.column) }
            let required = (source.requires ?? []).compactMap { RowValue(form: form, code: $0, column: measure.column) }
            for (index, record) in rows.enumerated() {
                guard let values = lastYear ? record.lastYear : record.values, let value = cell.value(in: values),
                      required.allSatisfy({ $0.value(in: values) != nil }) else { continue }
                var figure = UnitFigure(record: index, form: source.form, unit: record.unit, province: record.province, type: record.type,
                                        industry: record.industry, holding: record.holding ?? record.unit, value: value, weight: nil, product: nil)
                if measure.kind == .weightedMean {
                    guard let weight = weightCell?.value(in: values) else { continue }
                    let product = value.units.multipliedReportingOverflow(by: weight.units)
                    if product.overflow { continue }
                    figure.weight = weight
                    figure.product = product.partialValue
                    // w·x / 100 at the cell scale: the volume the share stands for (e.g. cold data in TB).
                    figure.value = ExactDecimal(units: product.partialValue, scale: CellValues.scale * 2 + 2).rounded(toPlaces: CellValues.scale)
                }
                found.append(figure)
            }
        }
        return found
    }
}
