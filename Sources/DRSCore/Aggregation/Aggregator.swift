/// One unit's figures for aggregation, with the dimensions it is grouped by.
public struct AggregateRecord: Sendable {
    /// `["province": "110000", "type": "centralEnterprise", "industry": "I"]`.
    public var dimensions: [String: String]
    /// The unit's figures, laid out by the form being aggregated.
    public var values: CellValues

    public init(dimensions: [String: String], values: CellValues) {
        self.dimensions = dimensions
        self.values = values
    }
}

/// Totals of one numeric form over many submissions, by groupings of the records' dimensions.
///
/// Each row's `aggregation` in the catalog decides its total: `sum` adds the figures exactly;
/// `weightedMean` (shares and averages, never summed) recomputes Σ(w·v)/Σw from the row's base over the
/// units that filled the cell and have w > 0, rounded half away from zero to the unit's decimals;
/// `none` (overlapping coverage, e.g. 服务行业数量) has no total. Every cell also reports how many units
/// filled it. A row without `aggregation` is summed unless its unit is a share, which is never summed.
///
/// A run reads every submission once, into the finest grouping (all dimensions requested together);
/// the requested groupings are then rolled up from those few groups, so more groupings cost almost
/// nothing. Sums are 128-bit with overflow reported, never wrapped.
public struct Aggregator: Sendable {
    public let form: CompiledForm
    let methods: [Aggregation.Method]
    /// Slots that are summed (their overflow matters).
    let summed: [Bool]
    /// The weighted slots, their weights, and each one's decimals for rounding.
    let weightedSlots: [Int]
    let weights: [WeightExpression]
    let weightedDecimals: [Int]
    let weightedOrdinal: [Int32]

    /// Prepares the form; refuses basic-information forms and weights that cannot be bound.
    public init(form: CompiledForm) throws(AggregationError) {
        guard form.form.kind != .basicInfo else { throw .basicInformationForm(form: form.form.tableNumber) }
        self.form = form
        var methods: [Aggregation.Method] = []
        var weightedSlots: [Int] = [], weights: [WeightExpression] = [], decimals: [Int] = []
        var ordinal = [Int32](repeating: -1, count: form.layout.count)
        for (slot, cell) in form.layout.cells.enumerated() {
            let indicator = form.form.indicator(cell.key.code)
            let unit = form.units[cell.unit]
            let method = indicator?.aggregation?.method ?? (unit?.kind == .share ? .none : .sum)
            methods.append(method)
            if method == .weightedMean {
                guard let text = indicator?.aggregation?.weight else {
                    throw .invalidWeight(form: form.form.id, code: cell.key.code, weight: "", reason: "按加权平均汇总但未给出权数")
                }
                ordinal[slot] = Int32(weightedSlots.count)
                weightedSlots.append(slot)
                weights.append(try WeightExpression(text, for: cell.key, in: form))
                // A cell holds at most 6 decimals, so a mean is never shown with more.
                decimals.append(min(unit?.decimals ?? CellValues.scale, CellValues.scale))
            }
        }
        self.methods = methods
        self.summed = methods.map { $0 == .sum }
        self.weightedSlots = weightedSlots
        self.weights = weights
        self.weightedDecimals = decimals
        self.weightedOrdinal = ordinal
    }

    /// Aggregates the records by each grouping (a list of dimension names; `[]` is the national total).
    public func aggregate(_ records: [AggregateRecord], groupings: [[String]]) throws(AggregationError) -> AggregateTable {
        var running = Running(self, groupings: groupings)
        try running.add(records)
        return try running.finish()
    }

    /// An aggregation fed a run of records at a time (a national form read run by run, never held
    /// whole), with the same result as `aggregate` over all of them.
    public struct Running: Sendable {
        let aggregator: Aggregator
        let groupings: [[String]]
        /// Every dimension any grouping asks for, in sorted order: the finest grouping.
        let dimensions: [String]
        var fineIndex: [[String]: Int] = [:]
        var fineKeys: [[String]] = []
        var fine: Accumulators
        var records = 0

        public init(_ aggregator: Aggregator, groupings: [[String]]) {
            self.aggregator = aggregator
            self.groupings = groupings
            dimensions = Array(Set(groupings.joined())).sorted()
            fine = Accumulators(groups: 0, slots: aggregator.form.layout.count, weighted: aggregator.weightedSlots.count)
        }

        /// Adds records into the finest groups (one pass over their figures).
        public mutating func add(_ batch: [AggregateRecord]) throws(AggregationError) {
            let form = aggregator.form
            let slotCount = form.layout.count
            for (index, record) in batch.enumerated() where record.values.count != slotCount {
                throw .wrongShape(form: form.form.id, record: records + index, expected: slotCount, found: record.values.count)
            }
            for record in batch {
                let key = dimensions.map { record.dimensions[$0] ?? "" }
                let group: Int
                if let f = fineIndex[key] { group = f } else {
                    group = fineKeys.count
                    fineIndex[key] = group
                    fineKeys.append(key)
                    fine.appendGroup()
                }
                try aggregator.accumulate(record.values, into: &fine, group: group, key: key)
            }
            records += batch.count
        }

        /// Each grouping rolled up from the finest groups, then finished (means divided once).
        public func finish() throws(AggregationError) -> AggregateTable {
            let form = aggregator.form
            var result: [AggregateGrouping] = []
            for grouping in groupings {
                let positions = grouping.compactMap { dimensions.firstIndex(of: $0) }
                let keyOf = fineKeys.map { key in positions.map { key[$0] } }
                // The national total exists even over no records (every cell then empty).
                let keys = grouping.isEmpty ? [[]] : Array(Set(keyOf)).sorted { $0.lexicographicallyPrecedes($1) }
                let index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
                var coarse = Accumulators(groups: keys.count, slots: fine.slots, weighted: fine.weighted)
                for f in fineKeys.indices {
                    guard let g = index[keyOf[f]] else { continue }
                    if let slot = coarse.add(group: g, from: fine, group: f, summed: aggregator.summed, weightedSlots: aggregator.weightedSlots) {
                        throw .overflow(form: form.form.id, cell: form.layout.cells[slot].key, group: keys[g])
                    }
                }
                var groups: [AggregateGroup] = []
                for (g, key) in keys.enumerated() { groups.append(aggregator.finish(coarse, group: g, key: key)) }
                result.append(AggregateGrouping(dimensions: grouping, groups: groups))
            }
            var slots: [CellKey: Int] = [:]
            for (slot, cell) in form.layout.cells.enumerated() { slots[cell.key] = slot }
            return AggregateTable(form: form.form.id, cells: form.layout.cells.map(\.key), methods: aggregator.methods,
                                  groupings: result, records: records, slots: slots)
        }
    }

    /// The weight of a weighted slot for one unit (in units of 10^-scale), nil when not weighted or on overflow.
    func weight(slot: Int, _ values: CellValues) -> (units: Int128, scale: Int)? {
        let w = Int(weightedOrdinal[slot])
        guard w >= 0, let units = weights[w].evaluate(values) else { return nil }
        return (units, weights[w].scale)
    }

    /// Adds one submission to a group: every slot's millionths and filled flag (empty cells hold 0, so
    /// the add needs no branch), then the weighted slots' Σ(w·v), Σw and count.
    func accumulate(_ values: CellValues, into acc: inout Accumulators, group g: Int, key: [String]) throws(AggregationError) {
        let slotCount = acc.slots
        let base = g * slotCount
        acc.units[g] += 1
        var overflowed = false
        values.units.withUnsafeBufferPointer { units in
            values.present.withUnsafeBufferPointer { present in
                acc.sums.withUnsafeMutableBufferPointer { sums in
                    acc.filled.withUnsafeMutableBufferPointer { filled in
                        var flags: UInt8 = 0
                        for s in 0..<slotCount {
                            let (x, o) = sums[base + s].addingReportingOverflow(units[s])
                            sums[base + s] = x
                            flags |= o ? 1 : 0
                            filled[base + s] &+= present[s] ? 1 : 0
                        }
                        overflowed = flags != 0
                    }
                }
            }
        }
        if overflowed {
            // Rare: find whether a summed slot wrapped (a wrapped `none` or weighted slot is never read).
            // The wrapped add is undone by subtracting, which wraps back exactly.
            for s in 0..<slotCount {
                let before = acc.sums[base + s] &- values.units[s]
                if summed[s], before.addingReportingOverflow(values.units[s]).overflow {
                    throw .overflow(form: form.form.id, cell: form.layout.cells[s].key, group: key)
                }
            }
        }
        for (w, slot) in weightedSlots.enumerated() where values.present[slot] {
            guard let weight = weights[w].evaluate(values) else {
                throw .overflow(form: form.form.id, cell: form.layout.cells[slot].key, group: key)
            }
            guard weight > 0 else { continue }
            let i = g * acc.weighted + w
            let (product, o1) = weight.multipliedReportingOverflow(by: values.units[slot])
            let (numerator, o2) = acc.numerators[i].addingReportingOverflow(product)
            let (denominator, o3) = acc.bases[i].addingReportingOverflow(weight)
            if o1 || o2 || o3 { throw .overflow(form: form.form.id, cell: form.layout.cells[slot].key, group: key) }
            acc.numerators[i] = numerator
            acc.bases[i] = denominator
            acc.weightedUnits[i] += 1
        }
    }

    func finish(_ acc: Accumulators, group g: Int, key: [String]) -> AggregateGroup {
        let slotCount = acc.slots
        var totals = Array(acc.sums[g * slotCount ..< (g + 1) * slotCount])
        let filled = Array(acc.filled[g * slotCount ..< (g + 1) * slotCount])
        var hasTotal = [Bool](repeating: false, count: slotCount)
        for s in 0..<slotCount where methods[s] == .sum { hasTotal[s] = filled[s] > 0 }
        for s in 0..<slotCount where methods[s] != .sum { totals[s] = 0 }
        let range = g * acc.weighted ..< (g + 1) * acc.weighted
        for (w, slot) in weightedSlots.enumerated() {
            let i = range.lowerBound + w
            guard acc.bases[i] > 0 else { continue }
            // Σ(w·v) has scale s+6 and Σw scale s, so their quotient is in millionths; rounding to d
            // decimals divides by 10^(6−d) in the same exact step and multiplies back.
            let step = ExactDecimal.pow10(CellValues.scale - weightedDecimals[w])
            // A quotient of checked sums, rounded to a multiple of `step`: it fits unless Σ(w·v) sits at
            // the very edge of 128 bits; then the group has no mean rather than a wrapped one.
            guard let rounded = ExactRatio.roundedQuotient(acc.numerators[i], acc.bases[i], factor: step),
                  case (let mean, false) = rounded.multipliedReportingOverflow(by: step) else { continue }
            totals[slot] = mean
            hasTotal[slot] = true
        }
        return AggregateGroup(key: key, units: acc.units[g], totals: totals, hasTotal: hasTotal, filled: filled,
                              weightedOrdinal: weightedOrdinal, bases: Array(acc.bases[range]),
                              baseScales: weights.map(\.scale), weightedUnits: Array(acc.weightedUnits[range]))
    }
}

/// Running totals of many groups, laid out group-major (`[group * slots + slot]`) so that one
/// submission's adds walk one contiguous row.
struct Accumulators: Sendable {
    let slots: Int
    let weighted: Int
    var units: [Int]
    var sums: [Int128]
    var filled: [Int32]
    var numerators: [Int128]
    var bases: [Int128]
    var weightedUnits: [Int32]

    init(groups: Int, slots: Int, weighted: Int) {
        self.slots = slots
        self.weighted = weighted
        units = Array(repeating: 0, count: groups)
        sums = Array(repeating: 0, count: groups * slots)
        filled = Array(repeating: 0, count: groups * slots)
        numerators = Array(repeating: 0, count: groups * weighted)
        bases = Array(repeating: 0, count: groups * weighted)
        weightedUnits = Array(repeating: 0, count: groups * weighted)
    }

    /// A new group, all zero.
    mutating func appendGroup() {
        units.append(0)
        sums.append(contentsOf: repeatElement(0, count: slots))
        filled.append(contentsOf: repeatElement(0, count: slots))
        numerators.append(contentsOf: repeatElement(0, count: weighted))
        bases.append(contentsOf: repeatElement(0, count: weighted))
        weightedUnits.append(contentsOf: repeatElement(0, count: weighted))
    }

    /// Adds another accumulator's group into one of ours; returns a slot whose sum overflowed, if any.
    mutating func add(group g: Int, from other: Accumulators, group f: Int, summed: [Bool], weightedSlots: [Int]) -> Int? {
        units[g] += other.units[f]
        for s in 0..<slots {
            let (x, o) = sums[g * slots + s].addingReportingOverflow(other.sums[f * slots + s])
            if o && summed[s] { return s }
            sums[g * slots + s] = x
            filled[g * slots + s] += other.filled[f * slots + s]
        }
        for w in 0..<weighted {
            let (n, o1) = numerators[g * weighted + w].addingReportingOverflow(other.numerators[f * weighted + w])
            let (b, o2) = bases[g * weighted + w].addingReportingOverflow(other.bases[f * weighted + w])
            if o1 || o2 { return weightedSlots[w] }
            numerators[g * weighted + w] = n
            bases[g * weighted + w] = b
            weightedUnits[g * weighted + w] += other.weightedUnits[f * weighted + w]
        }
        return nil
    }
}
