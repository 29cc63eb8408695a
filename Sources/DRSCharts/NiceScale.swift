/// A value axis from 0 to a "nice" top with ticks at 1, 2 or 5 × 10^k.
struct NiceScale: Equatable {
    /// Distance between ticks (> 0).
    let step: Double
    /// Number of steps from 0 to the top (≥ 1).
    let steps: Int
    /// Decimal places needed to print a tick.
    let decimals: Int

    var top: Double { step * Double(steps) }

    /// Tick values from 0 to the top, inclusive.
    var ticks: [Double] { (0...steps).map { Double($0) * step } }

    /// Tick labels, e.g. "0", "0.5", "1.0"…
    var tickLabels: [String] { ticks.map { NumberText.fixed($0, decimals: decimals) } }

    /// An axis covering 0…`maximum` with about `targetSteps` steps; all-zero or odd data get 0…1.
    init(maximum: Double, targetSteps: Int = 5) {
        let target = Double(max(targetSteps, 1))
        let covered = maximum.isFinite && maximum > 0 ? min(maximum, 1e12) : 1
        let (step, decimals) = NiceScale.niceStep(covered / target)
        self.step = step
        self.decimals = decimals
        // Rounding guard: a top that equals the maximum up to float noise is not another step.
        let ratio = (covered / step * 1e6).rounded() / 1e6
        self.steps = max(1, min(Int(ratio.rounded(.up)), 1000))
    }

    /// The smallest 1/2/5 × 10^k not below `raw`, and the decimals it needs.
    static func niceStep(_ raw: Double) -> (Double, Int) {
        guard raw.isFinite, raw > 0 else { return (1, 0) }
        var power = 1.0
        var decimals = 0
        while power * 10 <= raw && power < 1e12 { power *= 10 }
        while power > raw && power > 1e-6 {
            power /= 10
            decimals += 1
        }
        let mantissa = raw / power
        let multiple: Double = mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10
        if multiple == 10 && decimals > 0 { decimals -= 1 }
        // Exact decimal steps (0.1, 0.2…) come out of repeated division slightly off; round them.
        var unit = 1.0
        for _ in 0..<decimals { unit *= 10 }
        let step = (multiple * power * unit).rounded() / unit
        return (step > 0 ? step : 1, decimals)
    }
}
