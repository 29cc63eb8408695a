import DRSCore

/// A figure in units people read: TB as PB, EB or ZB; 万元 as 亿元; TFLOPS as PFLOPS or EFLOPS;
/// 个 as 万个. One unit per column, chosen from the column's largest figure, printed in its header.
public struct ReadableUnit: Sendable, Equatable {
    public var name: String
    /// How many catalog units make one of this unit.
    public var factor: Int
    public var decimals: Int

    /// The ladder for a catalog unit (smallest first).
    static func ladder(_ unit: String) -> [ReadableUnit] {
        switch unit {
        case "TB":
            [.init(name: "TB", factor: 1, decimals: 2), .init(name: "PB", factor: 1_000, decimals: 2),
             .init(name: "EB", factor: 1_000_000, decimals: 2), .init(name: "ZB", factor: 1_000_000_000, decimals: 2)]
        case "万元": [.init(name: "万元", factor: 1, decimals: 2), .init(name: "亿元", factor: 10_000, decimals: 2)]
        case "TFLOPS":
            [.init(name: "TFLOPS", factor: 1, decimals: 2), .init(name: "PFLOPS", factor: 1_000, decimals: 2),
             .init(name: "EFLOPS", factor: 1_000_000, decimals: 2)]
        case "个": [.init(name: "个", factor: 1, decimals: 0), .init(name: "万个", factor: 10_000, decimals: 2)]
        case "次": [.init(name: "次", factor: 1, decimals: 0), .init(name: "万次", factor: 10_000, decimals: 2)]
        case "%": [.init(name: "%", factor: 1, decimals: 2)]
        default: [.init(name: unit, factor: 1, decimals: 2)]
        }
    }

    /// The largest unit in which `largest` is at least 1.
    public static func choose(for unit: String, largest: ExactDecimal?) -> ReadableUnit {
        let ladder = ladder(unit)
        var chosen = ladder[0]
        guard let largest else { return chosen }
        for step in ladder where largest >= ExactDecimal(step.factor) { chosen = step }
        return chosen
    }

    /// The figure in this unit, rounded to its decimals (exactly).
    public func convert(_ value: ExactDecimal) -> ExactDecimal? {
        value.quotient(dividedBy: ExactDecimal(factor), decimals: decimals)
    }

    /// The figure as printed: thousands separators, fixed decimals.
    public func text(_ value: ExactDecimal) -> String {
        guard let converted = convert(value) else { return ReportDocument.emptySymbol }
        return Self.grouped(converted, decimals: decimals)
    }

    /// `1234567.5` → `1,234,567.50`.
    static func grouped(_ value: ExactDecimal, decimals: Int) -> String {
        let fixed = value.rounded(toPlaces: decimals).rescaled(to: decimals) ?? value
        let digits = String(fixed.units.magnitude)
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        let whole = String(padded.dropLast(decimals))
        var groupedWhole = ""
        for (i, c) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { groupedWhole.append(",") }
            groupedWhole.append(c)
        }
        let sign = fixed.units < 0 ? "-" : ""
        return sign + groupedWhole + (decimals > 0 ? "." + padded.suffix(decimals) : "")
    }
}
