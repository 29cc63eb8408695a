/// What a form's follow-up items are judged and weighed against besides each unit's own figures: the
/// national totals (weights) and, per respondent type and cell, the spread of the figures (median, MAD:
/// the outlier test and its note). Kept as text beside a stored list's order, so a page of a stored
/// list makes exactly the items the computation made (`FollowUpItems.stored`).
public struct FollowUpBasis: Sendable, Equatable {
    /// Per slot: the national total (in millionths, as `AggregateGroup` keeps it) and weight base.
    let national: [AggregateCell]
    /// Per respondent type, per slot: the spread, when enough units of the type filled the cell.
    let spreads: [String: [RobustSpread?]]

    init(national: AggregateGroup, spreads: [String: [RobustSpread?]]) {
        self.national = (0..<national.cellCount).map(national.cell)
        self.spreads = spreads
    }

    init(national: [AggregateCell], spreads: [String: [RobustSpread?]]) {
        self.national = national
        self.spreads = spreads
    }

    /// Cells of the form the basis is for.
    public var slots: Int { national.count }

    func spread(_ type: String, slot: Int) -> RobustSpread? {
        guard let list = spreads[type], list.indices.contains(slot) else { return nil }
        return list[slot]
    }

    // MARK: Text

    static let header = "drs-follow-up-basis 1"

    /// Lines of tab-separated fields: the header, `slots N`, then `n slot total base units weightedUnits`
    /// for each national cell with anything in it, and `s type slot count 2·median 4·MAD ΣD` for each
    /// spread (decimals as `units:scale`, nil as `-`), in slot order, types sorted.
    public var text: String {
        var lines = [Self.header, "slots\t\(national.count)"]
        for (slot, cell) in national.enumerated() where cell.total != nil || cell.weightBase != nil || cell.units > 0 {
            lines.append("n\t\(slot)\t\(Self.text(cell.total))\t\(Self.text(cell.weightBase))\t\(cell.units)\t\(cell.weightedUnits)")
        }
        for type in spreads.keys.sorted() {
            for (slot, spread) in (spreads[type] ?? []).enumerated() {
                guard let s = spread else { continue }
                lines.append("s\t\(type)\t\(slot)\t\(s.count)\t\(s.doubledMedian)\t\(s.quadrupledMAD)\t\(s.doubledDeviationSum.map(String.init) ?? "-")")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The basis written by `text`, for a form of `slots` cells; nil for anything else (another
    /// form's, a damaged row): the list is then computed again rather than shown wrong.
    public init?(text: String, slots: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count >= 2, lines[0] == Self.header, lines[1] == "slots\t\(slots)" else { return nil }
        var national = [AggregateCell](repeating: AggregateCell(total: nil, units: 0), count: slots)
        var spreads: [String: [RobustSpread?]] = [:]
        for line in lines.dropFirst(2) {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            switch f.first {
            case "n":
                guard f.count == 6, let slot = Int(f[1]), national.indices.contains(slot),
                      case .some(let total) = Self.decimal(f[2]), total.map({ $0.scale == CellValues.scale }) ?? true,
                      case .some(let base) = Self.decimal(f[3]),
                      let units = Int(f[4]), units >= 0, let weighted = Int(f[5]), weighted >= 0 else { return nil }
                national[slot] = AggregateCell(total: total, units: units, weightBase: base, weightedUnits: weighted)
            case "s":
                // Within what a computed spread can hold (figures below `RobustSpread.limit`), so
                // reading the median (×5) or a z cannot overflow whatever the row says.
                let bound = 4 * RobustSpread.limit
                guard f.count == 7, !f[1].isEmpty, let slot = Int(f[2]), (0..<slots).contains(slot),
                      let count = Int(f[3]), (1...Int(Int32.max)).contains(count),
                      let median = Int128(f[4]), median > -bound && median < bound,
                      let mad = Int128(f[5]), mad >= 0 && mad < bound else { return nil }
                let sum: Int128?
                if f[6] == "-" { sum = nil } else if let s = Int128(f[6]) { sum = s } else { return nil }
                spreads[String(f[1]), default: [RobustSpread?](repeating: nil, count: slots)][slot] =
                    RobustSpread(count: count, doubledMedian: median, quadrupledMAD: mad, doubledDeviationSum: sum)
            default:
                return nil
            }
        }
        self.init(national: national, spreads: spreads)
    }

    private static func text(_ d: ExactDecimal?) -> String { d.map { "\($0.units):\($0.scale)" } ?? "-" }

    /// `units:scale`, or `-` for nil (the outer optional is nil when the field is neither).
    private static func decimal(_ field: Substring) -> ExactDecimal?? {
        if field == "-" { return .some(nil) }
        let parts = field.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let units = Int128(parts[0]), let scale = Int(parts[1]),
              let d = ExactDecimal.checked(units: units, scale: scale) else { return nil }
        return .some(d)
    }
}
