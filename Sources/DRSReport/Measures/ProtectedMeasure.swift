import DRSCore
import DRSDisclosure

/// A sum measure after disclosure control, as every table of the report that shows it sees it.
///
/// The report shows a measure nationally, by province, by respondent type and by industry. The
/// province and type rows are the two margins of one province × type table, protected together
/// (its inner cells are treated as published, which only adds protection). The industry rows are a
/// second table that shares only the national figure with the first: with the inner cells of the
/// province × type × industry cube unpublished and free, any completion of one table combines with
/// any of the other (the cube m(p,t)·n(i)/N is one), so an intruder's bounds from both together are
/// the bounds from each alone, and auditing each table with the attacker's programme proves both.
public struct ProtectedMeasure: Sendable {
    public let id: String
    public let byProvinceAndType: ProtectedTable
    public let byIndustry: ProtectedTable
    /// Exact sums and unit counts, by breakdown row.
    let sums: [FigureKey: (value: ExactDecimal, units: Int)]
    /// Σ w·x and Σ w for weighted means, by breakdown row (scale 2 × cell scale).
    let weighted: [FigureKey: (product: Int128, weight: Int128)]

    public struct Failure: Error, Sendable { public var message: String }

    static func protect(_ id: String, figures: [UnitFigure], rules: SafetyRules,
                        suppression: SecondarySuppression) throws(Failure) -> ProtectedMeasure {
        let both: MagnitudeTable, industry: MagnitudeTable
        do {
            both = try MagnitudeTable.build(dimensionNames: ["province", "type"], contributions: figures.map {
                Contribution(coordinates: [$0.province, $0.type], holding: $0.holding, value: $0.value)
            }, largestKept: rules.largestContributionsNeeded)
            industry = try MagnitudeTable.build(dimensionNames: ["industry"], contributions: figures.map {
                Contribution(coordinates: [$0.industry], holding: $0.holding, value: $0.value)
            }, largestKept: rules.largestContributionsNeeded)
        } catch {
            throw Failure(message: "\(id)：\(error.message)")
        }
        return ProtectedMeasure(id: id, byProvinceAndType: suppression.protect(both, rules: rules),
                                byIndustry: suppression.protect(industry, rules: rules),
                                sums: Self.sums(figures), weighted: Self.weightedSums(figures))
    }

    /// The keys a unit's figure adds to: the nation, its province, its type and its industry.
    static func keys(_ f: UnitFigure) -> [FigureKey] {
        [.national, FigureKey(breakdown: .province, code: f.province), FigureKey(breakdown: .type, code: f.type),
         FigureKey(breakdown: .industry, code: f.industry)]
    }

    /// Exact sums by row, and the distinct units behind each (a unit filing two forms of the
    /// measure is one unit). Units are counted by figure, and recounted by name only where a unit
    /// has two figures (rare: a unit of two respondent types).
    static func sums(_ figures: [UnitFigure]) -> [FigureKey: (value: ExactDecimal, units: Int)] {
        var sums: [FigureKey: (units: Int128, count: Int)] = [:]
        var perUnit: [String: Int] = [:]
        for f in figures {
            let value = f.value.rescaled(to: CellValues.scale)?.units ?? 0
            perUnit[f.unit, default: 0] += 1
            for key in keys(f) {
                let old = sums[key] ?? (0, 0)
                sums[key] = (old.units &+ value, old.count + 1)
            }
        }
        var counts = sums.mapValues(\.count)
        if perUnit.values.contains(where: { $0 > 1 }) {
            var distinct: [FigureKey: Set<String>] = [:]
            for f in figures { for key in keys(f) { distinct[key, default: []].insert(f.unit) } }
            counts = distinct.mapValues(\.count)
        }
        return sums.reduce(into: [:]) { out, entry in
            out[entry.key] = (ExactDecimal(units: entry.value.units, scale: CellValues.scale), counts[entry.key] ?? 0)
        }
    }

    static func weightedSums(_ figures: [UnitFigure]) -> [FigureKey: (product: Int128, weight: Int128)] {
        var sums: [FigureKey: (product: Int128, weight: Int128)] = [:]
        for f in figures {
            guard let product = f.product, let weight = f.weight?.units else { continue }
            for key in keys(f) {
                let old = sums[key] ?? (0, 0)
                sums[key] = (old.product &+ product, old.weight &+ weight)
            }
        }
        return sums
    }

    /// The status disclosure control gave the row's cell (national: the Total of the first table).
    func status(_ key: FigureKey) -> CellStatus {
        let (table, labels): (ProtectedTable, [String]) = switch key.breakdown {
        case .national: (byProvinceAndType, [TableDimension.totalCode, TableDimension.totalCode])
        case .province: (byProvinceAndType, [key.code, TableDimension.totalCode])
        case .type: (byProvinceAndType, [TableDimension.totalCode, key.code])
        case .industry: (byIndustry, [key.code])
        }
        guard let cell = table.table.cell(labels: labels) else { return .empty }
        return table.status[cell]
    }

    /// The published sum of the row.
    public func figure(_ key: FigureKey) -> PublishedFigure {
        guard let sum = sums[key] else { return .empty }
        return PublishedFigure(value: sum.value, status: status(key).isSuppressed ? .suppressed : .published, contributors: sum.units)
    }

    /// The published weighted mean Σ w·x / Σ w of the row, rounded to `decimals`.
    public func weightedMean(_ key: FigureKey, decimals: Int) -> PublishedFigure {
        guard let sum = sums[key], let w = weighted[key] else { return .empty }
        let mean = ExactDecimal(units: w.product, scale: CellValues.scale * 2)
            .quotient(dividedBy: ExactDecimal(units: w.weight, scale: CellValues.scale), decimals: decimals)
        return PublishedFigure(value: mean, status: status(key).isSuppressed ? .suppressed : (mean == nil ? .empty : .published),
                               contributors: sum.units)
    }

    /// Every sensitive cell's interval under the published pattern, both tables.
    public func audit(_ auditor: AttackerAudit) -> [AttackerAudit.Report] {
        [byProvinceAndType, byIndustry].map { auditor.audit($0.table, sensitivity: $0.sensitivity, suppressed: $0.suppressed) }
    }
}
