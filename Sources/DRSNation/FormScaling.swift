import DRSCore

/// How a form's cells respond to a unit's size and growth. Extensive cells (volumes, money, counts,
/// computing, people) scale; shares, durations and per-time rates (次/周) do not. Integer cells are
/// scaled ten times further so that 10%, 20% or 30% growth stays a whole number.
struct FormScaling: Sendable {
    struct Cell: Sendable {
        var extensive: Bool
        var integer: Bool
        /// For a 上年同期 or 截至本年 cell: the slot of the same row's 本年实际.
        var currentSlot: Int?
        var isPrevious: Bool
        var isCumulative: Bool
    }

    let form: CompiledForm
    let cells: [Cell]
    /// Slots of 数据生产总量 (本年实际), for the calibration total.
    let productionSlots: [Int]
    /// Every slot with its stored key (`01:cur`, `02:cur@110000`), in the key order storage writes.
    let storedOrder: [(slot: Int, key: String)]

    init(form: CompiledForm, units: [String: MeasureUnit]) {
        self.form = form
        var cells: [Cell] = []
        var production: [Int] = []
        for (slot, cell) in form.layout.cells.enumerated() {
            let unit = units[cell.unit]
            let intensive = unit?.kind == .share || unit?.kind == .duration || cell.unit.contains("/")
            let previous = cell.key.column == "prev", cumulative = cell.key.column == "cum"
            let current = previous || cumulative ? form.layout.slot(code: cell.key.code, column: "cur", member: cell.key.member) : nil
            cells.append(Cell(extensive: !intensive, integer: unit?.isInteger ?? false, currentSlot: current, isPrevious: previous,
                              isCumulative: cumulative))
            if cell.name == "数据生产总量", cell.key.column == "cur", cell.key.member == nil { production.append(slot) }
        }
        self.cells = cells
        self.productionSlots = production
        self.storedOrder = form.layout.keyTexts.enumerated().map { (slot: $0.offset, key: $0.element) }.sorted { $0.key < $1.key }
    }

    /// Last year's figures: `base` with extensive cells times `size` (integers times 10·`size`), and
    /// the whole 截至本年 column times `cumulative` — one factor for the column keeps every rule of
    /// that column, and makes a total since operations began at least the year's.
    func lastYear(_ base: CellValues, size: Int) -> CellValues {
        let cumulative = cumulativeFactor(base)
        var out = CellValues(count: base.count)
        for (slot, cell) in cells.enumerated() where base.present[slot] {
            var factor: Int128 = cell.extensive ? Int128(size) * (cell.integer ? 10 : 1) : 1
            if cell.extensive && cell.isCumulative { factor *= cumulative }
            out[slot] = ExactDecimal(units: base.units[slot] * factor, scale: CellValues.scale)
        }
        return out
    }

    /// The smallest factor (2–50) that lifts every extensive 截至本年 of the sample to its 本年实际.
    func cumulativeFactor(_ base: CellValues) -> Int128 {
        var factor: Int128 = 2
        for (slot, cell) in cells.enumerated() where cell.isCumulative && cell.extensive && base.present[slot] && base.units[slot] > 0 {
            guard let current = cell.currentSlot, base.present[current] else { continue }
            factor = max(factor, (base.units[current] + base.units[slot] - 1) / base.units[slot])
        }
        return min(factor, 50)
    }

    /// Whether every figure stays well inside what a cell may hold (10^15), sums of a group included.
    static func fits(_ values: CellValues) -> Bool {
        let limit = Int128(1_000_000_000_000) * 1_000_000 * 100   // 10^14 in millionths
        return zip(values.units, values.present).allSatisfy { !$1 || ($0 >= -limit && $0 <= limit) }
    }

    /// This year's figures: extensive cells grown by (10 + `growth`)/10 from last year's, 上年同期
    /// equal to last year's 本年实际, the rest as last year. Nil when a value would not be exact.
    func thisYear(_ last: CellValues, growth: Int) -> CellValues? {
        var out = CellValues(count: last.count)
        for (slot, cell) in cells.enumerated() where last.present[slot] {
            var units = last.units[slot]
            if cell.isPrevious, let current = cell.currentSlot, last.present[current] {
                units = last.units[current]
            } else if cell.extensive {
                let grown = units * Int128(10 + growth)
                guard grown % 10 == 0 else { return nil }
                units = grown / 10
            }
            out[slot] = ExactDecimal(units: units, scale: CellValues.scale)
        }
        return out
    }

    /// A last-resort pair that always passes: the sample unscaled, this year equal to last year.
    func flat(_ base: CellValues) -> CellValues {
        thisYear(base, growth: 0) ?? base
    }
}
