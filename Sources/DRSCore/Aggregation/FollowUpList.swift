/// One unit's figures for the follow-up lists (核查清单) of one form.
public struct FollowUpUnit: Sendable {
    public var unitID: String
    /// The unit's respondent type: outliers are judged among units of the same type.
    public var respondentType: String
    public var values: CellValues
    /// Last year's figures of the same form, if the unit filed them.
    public var lastYear: CellValues?

    public init(unitID: String, respondentType: String, values: CellValues, lastYear: CellValues? = nil) {
        self.unitID = unitID
        self.respondentType = respondentType
        self.values = values
        self.lastYear = lastYear
    }
}

/// When a figure is an outlier among the units of its type (Iglewicz & Hoaglin's modified z-score).
public struct OutlierPolicy: Sendable, Equatable {
    /// Flag when |z| exceeds this (3.5 as Iglewicz & Hoaglin recommend). At most 20 decimals.
    public var threshold: ExactDecimal
    /// Units of the type that filled the cell needed before anything is called an outlier.
    public var minimumUnits: Int

    public init(threshold: ExactDecimal = ExactDecimal(units: 35, scale: 1), minimumUnits: Int = 5) {
        precondition(threshold.normalized.scale <= 20 && !threshold.isNegative, "outlier threshold out of range")
        self.threshold = threshold
        self.minimumUnits = max(1, minimumUnits)
    }

    public static let standard = OutlierPolicy()
}

/// A figure the office should look at before the totals are published.
public struct FollowUpItem: Sendable, Equatable {
    public enum Reason: String, Sendable {
        /// 本年实际 changed against last year beyond the survey's threshold.
        case yearOverYear
        /// The figure lies far from the other units of the same type.
        case outlier
    }

    public var reason: Reason
    public var unitID: String
    public var respondentType: String
    public var form: String
    public var cell: CellKey
    /// The cell's slot in the form's layout (the order cells are printed in; ties sort by it).
    public var slot: Int
    public var indicatorName: String
    public var memberName: String?
    /// The unit of measure (TB, 万元, %).
    public var measureUnit: String
    public var value: ExactDecimal
    /// Last year's figure of the same cell, when filed.
    public var lastValue: ExactDecimal?
    /// (value − last) / |last| in percent, rounded to 0.1 (exact rounding); nil without a last figure ≠ 0.
    public var changePercent: ExactDecimal?
    /// value / last, rounded to 4 decimals (exact rounding); nil without a last figure ≠ 0.
    public var ratioToLastYear: ExactDecimal?
    /// The modified z-score among the units of the same type, when there were enough of them.
    /// A Double for ranking and display only: whether an item is flagged is decided exactly.
    public var z: Double?
    /// The median of the cell among the units of the same type, and how many units filled it.
    public var typeMedian: ExactDecimal?
    public var typeUnits: Int?
    /// The figure's weight in the national total: value / national total for summed rows; for
    /// weighted means the unit's share of the national base Σw (how much it moves the national
    /// share); nil for rows without a total. A Double for ranking and display only.
    public var weight: Double?
    public var nationalTotal: ExactDecimal?
    /// A short Chinese explanation for the list.
    public var note: String
}

/// The two follow-up lists of one form, each sorted by weight in the national total (largest first;
/// items without a weight last), then by unit id, then by cell.
public struct FollowUpLists: Sendable {
    public var yearOverYear: FollowUpItems
    public var outliers: FollowUpItems
    /// What the items were judged against (the spreads per type, the national totals): stored with
    /// the lists' order, it makes a stored page's items the same as these (`FollowUpItems.stored`).
    public var basis: FollowUpBasis

    /// Builds the lists; figures or totals of another form are refused (`wrongShape`).
    /// - Parameters:
    ///   - aggregator: the form's aggregator (its rows' methods and weights).
    ///   - units: every unit's figures this year and last.
    ///   - national: the national totals of the same submissions (`AggregateTable.national`).
    ///   - yearOverYear: the threshold and minimum base; the form's (the survey's) when nil.
    ///   - outliers: the modified z-score limit and minimum units per type.
    public init(aggregator: Aggregator, units: [FollowUpUnit], national: AggregateGroup,
                yearOverYear: YearOverYearPolicy? = nil, outliers: OutlierPolicy = .standard) throws(AggregationError) {
        let form = aggregator.form
        let slots = form.layout.count
        for (index, unit) in units.enumerated() {
            let found = unit.values.count == slots ? (unit.lastYear?.count ?? slots) : unit.values.count
            if found != slots { throw .wrongShape(form: form.form.id, record: index, expected: slots, found: found) }
        }
        var spreads = FollowUpSpreads(form: form, outliers: outliers)
        spreads.add(units)
        basis = try spreads.basis(national: national)
        var ordering = try FollowUpOrdering(aggregator: aggregator, basis: basis, yearOverYear: yearOverYear, outliers: outliers)
        ordering.add(units)
        let order = ordering.finish()
        // Items are made when read (a page of a list that runs to a million items at 100,000 units).
        let byID = Dictionary(units.map { ($0.unitID, $0) }, uniquingKeysWith: { first, _ in first })
        self.yearOverYear = .stored(.yearOverYear, entries: order.yearOverYear, units: byID, aggregator: aggregator, basis: basis,
                                    policy: yearOverYear)
        self.outliers = .stored(.outlier, entries: order.outliers, units: byID, aggregator: aggregator, basis: basis, policy: yearOverYear)
    }
}

/// One follow-up list, in order; each item is made (figures, weight, note) when it is read.
public struct FollowUpItems: RandomAccessCollection, Sendable {
    public let reason: FollowUpItem.Reason
    let entries: [(unit: Int, slot: Int)]
    let units: [FollowUpUnit]
    let builder: ItemBuilder
    let policy: YearOverYearPolicy

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }

    public subscript(position: Int) -> FollowUpItem {
        let entry = entries[position]
        return builder.item(reason, units[entry.unit], slot: entry.slot, policy: policy)
    }
}

/// Fills in an item's figures, weight and note.
struct ItemBuilder: Sendable {
    let aggregator: Aggregator
    let basis: FollowUpBasis

    func item(_ reason: FollowUpItem.Reason, _ unit: FollowUpUnit, slot: Int, policy: YearOverYearPolicy) -> FollowUpItem {
        let form = aggregator.form
        let cell = form.layout.cells[slot]
        let v = unit.values.units[slot]
        let last = unit.lastYear.flatMap { $0.present[slot] ? $0.units[slot] : nil }
        let change = last.flatMap { ExactRatio.percentChange(value: v, last: $0) }
        var ratio: ExactDecimal? = nil
        if let last, last != 0, case (let scaled, false) = v.multipliedReportingOverflow(by: 10_000),
           let quotient = ExactRatio.roundedQuotient(scaled, last) {
            ratio = ExactDecimal(units: quotient, scale: 4)
        }
        let spread = basis.spread(unit.respondentType, slot: slot)
        let totalCell = basis.national[slot]
        let weight = self.weight(unit, slot: slot)
        let z = spread?.z(v)
        let note: String
        switch reason {
        case .yearOverYear:
            note = "本年实际较上年变化\(Self.signed(change).map { $0 + "%" } ?? "幅度过大")，超过±\(policy.threshold.value)%，请核实"
        case .outlier:
            let median = spread.map { $0.median.grouped } ?? "—"
            note = "在同类单位（\(spread?.count ?? 0)家）中明显偏离：稳健z值\(Self.format(z))，同类中位数\(median)\(cell.unit)"
        }
        return FollowUpItem(reason: reason, unitID: unit.unitID, respondentType: unit.respondentType, form: form.form.id,
                            cell: cell.key, slot: slot, indicatorName: cell.name, memberName: cell.memberName,
                            measureUnit: cell.unit, value: ExactDecimal(units: v, scale: CellValues.scale),
                            lastValue: last.map { ExactDecimal(units: $0, scale: CellValues.scale) },
                            changePercent: change, ratioToLastYear: ratio, z: z, typeMedian: spread?.median,
                            typeUnits: spread?.count, weight: weight, nationalTotal: totalCell.total, note: note)
    }

    /// The figure's weight in the national total (see `FollowUpItem.weight`): ratios of exact figures,
    /// as Doubles, for ranking only.
    func weight(_ unit: FollowUpUnit, slot: Int) -> Double? {
        let totalCell = basis.national[slot]
        switch aggregator.methods[slot] {
        case .sum:
            return totalCell.total.flatMap { ExactRatio.approximateShare(unit.values.units[slot], of: $0.units) }
        case .weightedMean:
            guard let base = totalCell.weightBase, let w = aggregator.weight(slot: slot, unit.values) else { return nil }
            return w.units > 0 ? ExactRatio.approximateShare(w.units, of: base.units) : 0
        case .none:
            return nil
        }
    }

    static func signed(_ x: ExactDecimal?) -> String? {
        guard let x else { return nil }
        return x.isNegative ? x.description : "+" + x.description
    }

    /// z to two decimals, for the note only.
    static func format(_ z: Double?) -> String {
        // No libm in the core (no Foundation): round half away from zero by truncating z·100 ± 0.5.
        guard let z, z.isFinite, abs(z) < 1e15 else { return "—" }
        let hundredths = Int(z * 100 + (z < 0 ? -0.5 : 0.5))
        let sign = hundredths < 0 ? "-" : ""
        let m = abs(hundredths)
        return "\(sign)\(m / 100).\(m % 100 < 10 ? "0" : "")\(m % 100)"
    }
}
