/// Fixed-point text for coordinates and axis ticks, without Foundation.
///
/// Every number written into the SVG goes through here, so the output never holds "nan" or "inf"
/// and never more decimals than asked: non-finite input is written as 0, huge input is clamped.
enum NumberText {
    /// Largest magnitude written; keeps the scaled value well inside `Int`.
    private static let limit = 1e12

    /// A coordinate with at most one decimal ("12", "12.5", "-3.2").
    static func coordinate(_ value: Double) -> String {
        fixed(value, decimals: 1, trimZeros: true)
    }

    /// `value` with exactly `decimals` places (0…6), or fewer when `trimZeros` and the tail is zero.
    static func fixed(_ value: Double, decimals: Int, trimZeros: Bool = false) -> String {
        let places = min(max(decimals, 0), 6)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let finite = value.isFinite ? min(max(value, -limit), limit) : 0
        let scaled = (finite * scale).rounded()
        let units = Int(scaled)
        if units == 0 { return "0" }
        let negative = units < 0
        let magnitude = negative ? -units : units
        let divisor = Int(scale)
        let whole = magnitude / divisor
        var fraction = magnitude % divisor
        var fractionPlaces = places
        if trimZeros {
            while fractionPlaces > 0 && fraction % 10 == 0 {
                fraction /= 10
                fractionPlaces -= 1
            }
        }
        var text = negative ? "-" : ""
        text += String(whole)
        if fractionPlaces > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: max(0, fractionPlaces - digits.count)) + digits
        }
        return text
    }
}
