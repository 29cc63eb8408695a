/// The figures of one submission, by slot of its form's `CellLayout`.
///
/// Every value is held in millionths (`NumberInput.maximumDecimals` = 6) as a 128-bit integer, so
/// all cells share one scale and sums are plain integer additions. An empty cell is `nil`.
public struct CellValues: Sendable, Equatable {
    public static let scale = NumberInput.maximumDecimals
    static let unit = ExactDecimal.pow10(scale)

    public private(set) var units: [Int128]
    public private(set) var present: [Bool]

    public init(count: Int) {
        units = Array(repeating: 0, count: count)
        present = Array(repeating: false, count: count)
    }

    /// A value in millionths. Values come from NumberInput (≤ 6 decimals, ≤ 10^15), so this is
    /// exact; a value from elsewhere with more decimals is rounded half away from zero, and one
    /// beyond ±1.7·10^32 (no figure is) saturates: the setter has no way to fail, and must not trap.
    static func millionths(_ value: ExactDecimal) -> Int128 {
        if let exact = value.rescaled(to: scale) { return exact.units }
        if let rounded = value.rounded(toPlaces: scale).rescaled(to: scale) { return rounded.units }
        return value.isNegative ? -Int128.max : .max
    }

    public var count: Int { units.count }
    public var filledCount: Int { present.lazy.filter { $0 }.count }

    public subscript(slot: Int) -> ExactDecimal? {
        get { present[slot] ? ExactDecimal(units: units[slot], scale: Self.scale) : nil }
        set {
            if let newValue {
                units[slot] = Self.millionths(newValue)
                present[slot] = true
            } else {
                units[slot] = 0
                present[slot] = false
            }
        }
    }

    /// Sets a cell to a value already in millionths (a reader that parsed the digits itself).
    mutating func setMillionths(_ value: Int128, at slot: Int) {
        units[slot] = value
        present[slot] = true
    }
}
