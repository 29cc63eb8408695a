/// The follow-up lists worked out in two passes over the units, each a run at a time, so the nation's
/// figures are never held at once (企业5表 at 100,000 units: 0.7 GB held at once before; the server's
/// peak about 250 MB computing it in passes):
/// 1. `FollowUpSpreads`: each type's figures, cell by cell, as 64-bit columns, for the medians and
///    MADs (the national totals are summed beside it, `Aggregator.Running`);
/// 2. `FollowUpOrdering`: with the basis of pass 1, each run's flagged figures with their weights;
///    `finish` sorts them into the two lists' order.
/// However the runs fall, the lists are those of one pass over every unit.
public struct FollowUpSpreads: Sendable {
    let formID: String
    let slots: Int
    let minimumUnits: Int
    /// Per respondent type, per slot: the filled figures of that type's units.
    var columns: [String: [FigureColumn]] = [:]
    var unitsByType: [String: Int] = [:]

    public init(form: CompiledForm, outliers: OutlierPolicy = .standard) {
        self.formID = form.form.id
        self.slots = form.layout.count
        self.minimumUnits = outliers.minimumUnits
    }

    public mutating func add(_ units: [FollowUpUnit]) {
        for unit in units where unit.values.count == slots {
            unitsByType[unit.respondentType, default: 0] += 1
            var typeColumns = columns.removeValue(forKey: unit.respondentType) ?? [FigureColumn](repeating: FigureColumn(), count: slots)
            unit.values.units.withUnsafeBufferPointer { figures in
                unit.values.present.withUnsafeBufferPointer { present in
                    for slot in 0..<slots where present[slot] { typeColumns[slot].append(figures[slot]) }
                }
            }
            columns[unit.respondentType] = typeColumns
        }
    }

    /// The basis of the lists: these spreads and the national totals of the same units (totals of
    /// another form are refused).
    public func basis(national: AggregateGroup) throws(AggregationError) -> FollowUpBasis {
        guard national.cellCount == slots else {
            throw .wrongShape(form: formID, record: 0, expected: slots, found: national.cellCount)
        }
        return FollowUpBasis(national: national, spreads: finish())
    }

    /// Per type, per slot: the spread, when at least `minimumUnits` units of the type filled the cell.
    func finish() -> [String: [RobustSpread?]] {
        var result: [String: [RobustSpread?]] = [:]
        for (type, typeColumns) in columns {
            let enough = (unitsByType[type] ?? 0) >= minimumUnits
            result[type] = typeColumns.map { enough && $0.count >= minimumUnits ? $0.spread() : nil }
        }
        return result
    }
}

/// One cell's figures among one type's units: 64-bit while they fit (every survey figure does: half
/// the memory of 128), 128-bit from the first that does not.
struct FigureColumn: Sendable {
    private var narrow: [Int64] = []
    private var wide: [Int128]? = nil
    /// |x| below this: 2·x, 2·median and 2·|x − median| fit in Int64 (`RobustSpread.measure`).
    static let narrowLimit: Int128 = 1 << 61

    var count: Int { wide?.count ?? narrow.count }

    mutating func append(_ x: Int128) {
        if wide == nil, x < Self.narrowLimit && x > -Self.narrowLimit {
            narrow.append(Int64(truncatingIfNeeded: x))
            return
        }
        if wide == nil {
            wide = narrow.map { Int128($0) }
            narrow = []
        }
        wide?.append(x)
    }

    /// The spread of the figures (worked on a copy: the column itself is left as it is).
    func spread() -> RobustSpread? {
        if var w = wide { return w.withUnsafeMutableBufferPointer { RobustSpread($0) } }
        var copy = narrow
        return copy.withUnsafeMutableBufferPointer { RobustSpread(narrow: $0) }
    }
}

/// Pass 2: which figures each list holds, and in what order.
public struct FollowUpOrdering: Sendable {
    let aggregator: Aggregator
    let basis: FollowUpBasis
    let policy: YearOverYearPolicy
    let threshold: ExactDecimal
    var yearOverYear: [Keyed] = []
    var outliers: [Keyed] = []

    struct Keyed: Sendable {
        var unitID: String
        var slot: Int
        var weight: Double?
    }

    /// - Parameters:
    ///   - basis: the national totals and spreads of the same units (pass 1).
    ///   - yearOverYear: the threshold and minimum base; the form's (the survey's) when nil.
    ///   A basis of another form is refused.
    public init(aggregator: Aggregator, basis: FollowUpBasis, yearOverYear: YearOverYearPolicy? = nil,
                outliers: OutlierPolicy = .standard) throws(AggregationError) {
        let form = aggregator.form
        guard basis.slots == form.layout.count else {
            throw .wrongShape(form: form.form.id, record: 0, expected: form.layout.count, found: basis.slots)
        }
        self.aggregator = aggregator
        self.basis = basis
        self.policy = yearOverYear ?? aggregator.form.yearOverYear
        self.threshold = outliers.threshold
    }

    /// The flagged figures of a run of units, with their weights.
    public mutating func add(_ units: [FollowUpUnit]) {
        let form = aggregator.form
        let run = units.filter { $0.values.count == form.layout.count && ($0.lastYear?.count ?? form.layout.count) == form.layout.count }
        let builder = ItemBuilder(aggregator: aggregator, basis: basis)
        func keyed(_ flagged: [(unit: Int, slot: Int)]) -> [Keyed] {
            flagged.map { Keyed(unitID: run[$0.unit].unitID, slot: $0.slot, weight: builder.weight(run[$0.unit], slot: $0.slot)) }
        }
        yearOverYear += keyed(YearOverYearScan.flagged(run, form: form, policy: policy))
        outliers += keyed(OutlierScan.flagged(run, spreads: basis.spreads, threshold: threshold))
    }

    /// The two lists' entries, each by weight (largest first, none last), then unit id, then slot.
    public func finish() -> (yearOverYear: [FollowUpEntry], outliers: [FollowUpEntry]) {
        (Self.ordered(yearOverYear), Self.ordered(outliers))
    }

    static func ordered(_ keyed: [Keyed]) -> [FollowUpEntry] {
        keyed.sorted { a, b in
            switch (a.weight, b.weight) {
            case let (x?, y?) where x != y: return x > y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return (a.unitID, a.slot) < (b.unitID, b.slot)
            }
        }.map { FollowUpEntry(unitID: $0.unitID, slot: $0.slot) }
    }
}
