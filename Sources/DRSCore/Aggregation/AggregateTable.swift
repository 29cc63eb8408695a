/// The totals of one form by one or more groupings (全国, 分省, 分类型, …), as `Aggregator` produces them.
///
/// Deterministic: the groups of each grouping are sorted by key, and every figure is an exact integer
/// sum or one exactly rounded division, so the same records in any order give an equal table.
public struct AggregateTable: Sendable, Equatable {
    public let form: String
    /// The cell of each slot, in the form's layout order (`CompiledForm.layout`).
    public let cells: [CellKey]
    /// How each slot is totalled.
    public let methods: [Aggregation.Method]
    /// One entry per requested grouping, in the order requested.
    public let groupings: [AggregateGrouping]
    /// Records aggregated.
    public let records: Int
    let slots: [CellKey: Int]

    /// The grouping over the given dimensions (`[]`: the national total).
    public func grouping(_ dimensions: [String]) -> AggregateGrouping? {
        groupings.first { $0.dimensions == dimensions }
    }

    /// The single group of the `[]` grouping, when it was requested.
    public var national: AggregateGroup? { grouping([])?.groups.first }

    public func slot(_ key: CellKey) -> Int? { slots[key] }

    /// The aggregate of a cell in a group, by cell address.
    public func cell(_ key: CellKey, in group: AggregateGroup) -> AggregateCell? {
        slots[key].map { group.cell($0) }
    }
}

/// The groups of one grouping, sorted by key.
public struct AggregateGrouping: Sendable, Equatable {
    /// Dimension names, as requested (`["province", "type"]`).
    public let dimensions: [String]
    public let groups: [AggregateGroup]

    public init(dimensions: [String], groups: [AggregateGroup]) {
        self.dimensions = dimensions
        self.groups = groups
    }

    /// The group with these dimension values (in the order of `dimensions`), if any record had them.
    public func group(_ key: [String]) -> AggregateGroup? {
        var low = 0, high = groups.count
        while low < high {
            let mid = (low + high) / 2
            if groups[mid].key.lexicographicallyPrecedes(key) { low = mid + 1 } else { high = mid }
        }
        return low < groups.count && groups[low].key == key ? groups[low] : nil
    }
}

/// One group's figures for every slot of the form (stored by column, read through `cell(_:)`).
public struct AggregateGroup: Sendable, Equatable {
    /// The group's values of the grouping's dimensions (empty for the national total). A record without
    /// a dimension is grouped under "".
    public let key: [String]
    /// Records (units) in the group.
    public let units: Int
    /// Totals in millionths; meaningful where `hasTotal` is set.
    let totals: [Int128]
    let hasTotal: [Bool]
    let filled: [Int32]
    /// Per slot, its index among the weighted slots, or −1 (shared by all groups of a table).
    let weightedOrdinal: [Int32]
    /// Per weighted slot: Σw in units of 10^-scale, its scale, and the units that entered the mean.
    let bases: [Int128]
    let baseScales: [Int]
    let weightedUnits: [Int32]

    public var cellCount: Int { totals.count }

    public func cell(_ slot: Int) -> AggregateCell {
        let total = hasTotal[slot] ? ExactDecimal(units: totals[slot], scale: CellValues.scale) : nil
        let w = Int(weightedOrdinal[slot])
        guard w >= 0 else { return AggregateCell(total: total, units: Int(filled[slot]), weightBase: nil, weightedUnits: 0) }
        let base = weightedUnits[w] > 0 ? ExactDecimal(units: bases[w], scale: baseScales[w]) : nil
        return AggregateCell(total: total, units: Int(filled[slot]), weightBase: base, weightedUnits: Int(weightedUnits[w]))
    }
}

/// The aggregate of one cell in one group.
public struct AggregateCell: Sendable, Equatable {
    /// `sum`: the exact sum (nil when no unit filled the cell); `weightedMean`: Σ(w·v)/Σw rounded half
    /// away from zero to the unit's decimals (nil when Σw = 0); `none`: always nil.
    public var total: ExactDecimal?
    /// Units of the group that filled the cell.
    public var units: Int
    /// `weightedMean` only: Σw over the units that entered the mean (nil when none did).
    public var weightBase: ExactDecimal?
    /// `weightedMean` only: units that filled the cell and had a weight > 0 (they make the mean).
    public var weightedUnits: Int

    public init(total: ExactDecimal?, units: Int, weightBase: ExactDecimal? = nil, weightedUnits: Int = 0) {
        self.total = total
        self.units = units
        self.weightBase = weightBase
        self.weightedUnits = weightedUnits
    }
}
