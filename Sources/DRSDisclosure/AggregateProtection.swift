import DRSCore

/// Disclosure control of a form's national aggregates (统计法第二十八条), run from the unit-level
/// records the aggregate was made of.
///
/// Every summed cell of the form is its own magnitude table over the breakdown's dimensions with all
/// marginals (province × type has the national total, the province totals, the type totals and the
/// cross cells), so one suppression pattern covers every sub-grouping the aggregate publishes
/// consistently. A cell aggregated as a weighted mean (shares, averages) is not a sum and has no table
/// of its own: it is derived from sums (its weight `[03]`, and Σ(w·v), which the same units make), so
/// it is suppressed wherever a summed cell its weight refers to is suppressed in that group — as
/// `primary` when that base is primary (the share tells about the same few contributors), otherwise
/// as `secondary`.
///
/// Cells of different rows are protected one by one: relations between rows (01 = 02 + 03) are not
/// modelled as linked tables (docs/disclosure-control.md, “Not yet applied”).
public struct AggregateProtection: Sendable {
    /// One unit's figures as they entered the aggregate, and the holding it belongs to (the
    /// headquarters of a central enterprise's subsidiaries; nil for an independent unit).
    public struct Unit: Sendable {
        public var record: AggregateRecord
        public var holding: String?

        public init(record: AggregateRecord, holding: String? = nil) {
            self.record = record
            self.holding = holding
        }
    }

    public var suppression: SecondarySuppression
    public var rules: SafetyRules

    public init(suppression: SecondarySuppression, rules: SafetyRules) {
        self.suppression = suppression
        self.rules = rules
    }

    /// Protects every published cell of `table` (the aggregate of `units` by groupings over `by`).
    ///
    /// Figures enter the magnitude tables as magnitudes: a table's safety rules and its non-negative
    /// intruder need values ≥ 0, and a cell that allows negatives is judged on |value| (the size of a
    /// contribution is what the rules protect).
    public func protect(_ table: AggregateTable, form: CompiledForm, units: [Unit], by: [String]) throws(TableBuildError) -> AggregateDisclosure {
        let dimensions = by.isEmpty ? [AggregateDisclosure.nationalDimension] : by
        let bases = WeightBases(form: form, table: table).bases
        var statuses: [Int: [[String]: CellStatus]] = [:]
        var tables: [Int: ProtectedTable] = [:]
        for slot in table.cells.indices {
            // A weighted cell whose weight names no sum (a constant weight) is judged on its own
            // contributors: every value 0, so only the frequency rule can make it unsafe.
            let ownTable = table.methods[slot] == .sum
            guard ownTable || (table.methods[slot] == .weightedMean && bases[slot, default: []].isEmpty) else { continue }
            var contributions: [Contribution] = []
            for unit in units where slot < unit.record.values.count && unit.record.values.present[slot] {
                let magnitude = Int128(clamping: unit.record.values.units[slot].magnitude)
                let value = ownTable ? ExactDecimal(units: magnitude, scale: CellValues.scale).normalized : ExactDecimal(units: 0, scale: 0)
                contributions.append(Contribution(coordinates: AggregateDisclosure.codes(of: unit.record, by: by),
                                                  holding: unit.holding, value: value))
            }
            guard !contributions.isEmpty else { continue }
            let magnitudes = try MagnitudeTable.build(dimensionNames: dimensions, contributions: contributions,
                                                      largestKept: rules.largestContributionsNeeded)
            let protected = suppression.protect(magnitudes, rules: rules)
            var byLabels: [[String]: CellStatus] = [:]
            for cell in 0..<magnitudes.cellCount { byLabels[magnitudes.labels(of: cell)] = protected.status[cell] }
            statuses[slot] = byLabels
            tables[slot] = protected
        }
        return AggregateDisclosure(dimensions: by, cells: table.cells, methods: table.methods, statuses: statuses, bases: bases,
                                   tables: tables)
    }
}

/// The status of every published cell of an aggregate after protection.
public struct AggregateDisclosure: Sendable {
    /// The national total alone is a one-dimensional table with a single inner code.
    static let nationalDimension = "national"
    static let nationalCode = "=all"

    /// The breakdown protected (the finest grouping published).
    public let dimensions: [String]
    let cells: [CellKey]
    let methods: [Aggregation.Method]
    /// Per summed slot (and weighted slot without a summed base), the status of each cell of its
    /// table by the table's labels.
    let statuses: [Int: [[String]: CellStatus]]
    /// Per weighted slot, the summed slots it is derived from.
    let bases: [Int: [Int]]
    /// Per slot with a table of its own, the protected table (what the attacker's audit checks).
    public let tables: [Int: ProtectedTable]

    /// The magnitude table's code for a record's value of a dimension: a prefix keeps "" (a record
    /// without the dimension, grouped under "" by the aggregator) and the reserved `Total` usable.
    static func code(_ value: String) -> String { "=" + value }

    static func codes(of record: AggregateRecord, by: [String]) -> [String] {
        by.isEmpty ? [nationalCode] : by.map { code(record.dimensions[$0] ?? "") }
    }

    /// The status of a slot in the group with `key` of the grouping over `grouping` (a sub-list of
    /// the breakdown; `[]` is the national total). A cell nothing was published for is `empty`; a
    /// cell that is not aggregated (`none`) is `safe` (there is no figure to hide).
    public func status(slot: Int, grouping: [String], key: [String]) -> CellStatus {
        guard slot >= 0, slot < methods.count else { return .empty }
        switch methods[slot] {
        case .none: return .safe
        case .sum: return summedStatus(slot: slot, grouping: grouping, key: key)
        case .weightedMean:
            let derivedFrom = bases[slot, default: []]
            if derivedFrom.isEmpty { return summedStatus(slot: slot, grouping: grouping, key: key) }
            let found = derivedFrom.map { summedStatus(slot: $0, grouping: grouping, key: key) }
            if found.contains(.primary) { return .primary }
            if found.contains(.secondary) { return .secondary }
            return found.contains(.safe) ? .safe : .empty
        }
    }

    /// The status of a cell by its address.
    public func status(_ cell: CellKey, grouping: [String], key: [String]) -> CellStatus {
        guard let slot = cells.firstIndex(of: cell) else { return .empty }
        return status(slot: slot, grouping: grouping, key: key)
    }

    /// The status of a slot in a group of one of the aggregate's groupings.
    public func status(slot: Int, in group: AggregateGroup, of grouping: AggregateGrouping) -> CellStatus {
        status(slot: slot, grouping: grouping.dimensions, key: group.key)
    }

    private func summedStatus(slot: Int, grouping: [String], key: [String]) -> CellStatus {
        guard let table = statuses[slot], grouping.count == key.count else { return .empty }
        let labels: [String]
        if dimensions.isEmpty {
            guard grouping.isEmpty else { return .empty }
            labels = [Self.nationalCode]
        } else {
            labels = dimensions.map { dimension in
                grouping.firstIndex(of: dimension).map { Self.code(key[$0]) } ?? TableDimension.totalCode
            }
            // A grouping over a dimension outside the breakdown was not protected.
            guard grouping.allSatisfy(dimensions.contains) else { return .empty }
        }
        return table[labels] ?? .empty
    }

    public var primaryCount: Int { count(.primary) }
    public var secondaryCount: Int { count(.secondary) }

    private func count(_ status: CellStatus) -> Int {
        statuses.values.reduce(0) { $0 + $1.values.lazy.filter { $0 == status }.count }
    }
}

/// Which summed cells each weighted cell's weight refers to: `[03]` in the weighted cell's own column
/// and member, through other weighted cells (`[06] * [03]`, 06 itself weighted by 03) to sums.
struct WeightBases {
    let bases: [Int: [Int]]

    init(form: CompiledForm, table: AggregateTable) {
        var bases: [Int: [Int]] = [:]
        for slot in table.cells.indices where table.methods[slot] == .weightedMean {
            var found = Set<Int>()
            var visited: Set<Int> = [slot]
            var pending = [slot]
            while let current = pending.popLast() {
                for reference in Self.references(of: current, form: form, table: table) where !visited.contains(reference) {
                    visited.insert(reference)
                    switch table.methods[reference] {
                    case .sum: found.insert(reference)
                    case .weightedMean: pending.append(reference)
                    case .none: break
                    }
                }
            }
            bases[slot] = found.sorted()
        }
        self.bases = bases
    }

    /// The slots a weighted cell's weight names, resolved as the aggregator binds them: a reference
    /// without a column or member means the weighted cell's own.
    static func references(of slot: Int, form: CompiledForm, table: AggregateTable) -> [Int] {
        let key = table.cells[slot]
        guard let text = form.form.indicator(key.code)?.aggregation?.weight,
              let expression = try? RuleParser.parseExpression(text) else { return [] }
        var slots: [Int] = []
        for reference in cellReferences(expression) {
            let column = reference.column ?? key.column
            switch reference.member {
            case .member(let member)?:
                if let found = table.slot(CellKey(code: reference.code, column: column, member: member)) { slots.append(found) }
            case .allMembers?:
                slots += table.cells.indices.filter { table.cells[$0].code == reference.code && table.cells[$0].column == column }
            case nil:
                if let found = table.slot(CellKey(code: reference.code, column: column, member: key.member)) {
                    slots.append(found)
                } else {
                    // A row without the weighted cell's breakdown: every cell of that row and column.
                    slots += table.cells.indices.filter { table.cells[$0].code == reference.code && table.cells[$0].column == column }
                }
            }
        }
        return slots
    }

    static func cellReferences(_ expression: RuleExpression) -> [CellReference] {
        switch expression {
        case .literal, .parameter: return []
        case .cell(let reference): return [reference]
        case .negate(let inner): return cellReferences(inner)
        case .binary(_, let a, let b): return cellReferences(a) + cellReferences(b)
        case .function(_, let arguments): return arguments.flatMap(cellReferences)
        }
    }
}
