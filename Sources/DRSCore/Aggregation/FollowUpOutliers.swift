/// The outlier list: figures far from the other units of the same respondent type, cell by cell, by the
/// modified z-score of Iglewicz & Hoaglin, z = 0.6745 · (x − median) / MAD, flagged when |z| > 3.5.
/// When MAD = 0 (more than half the units report the same figure) the mean absolute deviation stands
/// in, z = (x − median) / (1.253314 · MeanAD); when that is 0 too the cell has no outliers.
///
/// The median and deviations are kept exact by doubling (2·median and 4·MAD are integers in
/// millionths), so the flag itself is decided on integers; z is then computed as a Double to be shown.
enum OutlierScan {
    /// Every (unit, slot) whose figure is an outlier within its type.
    static func flagged(_ units: [FollowUpUnit], spreads: [String: [RobustSpread?]], threshold: ExactDecimal) -> [(unit: Int, slot: Int)] {
        let limit = RobustSpread.Limit(threshold)
        // Per type, only the cells that had enough units to judge, each with its integer cutoff.
        let judged = spreads.mapValues { list in
            list.enumerated().compactMap { slot, spread in
                spread.flatMap { s in s.cutoff(limit).map { (slot: slot, doubledMedian: s.doubledMedian, cutoff: $0) } }
            }
        }
        var found: [(unit: Int, slot: Int)] = []
        for (u, unit) in units.enumerated() {
            guard let cells = judged[unit.respondentType] else { continue }
            unit.values.units.withUnsafeBufferPointer { figures in
                unit.values.present.withUnsafeBufferPointer { present in
                    for cell in cells where present[cell.slot] {
                        let x = figures[cell.slot]
                        guard x < RobustSpread.limit && x > -RobustSpread.limit else { continue }
                        let d = 2 * x - cell.doubledMedian
                        if (d < 0 ? -d : d) > cell.cutoff { found.append((u, cell.slot)) }
                    }
                }
            }
        }
        return found
    }
}

/// The median and spread of one cell's figures among the units of one type, exactly.
struct RobustSpread: Sendable, Equatable {
    /// Units that filled the cell.
    let count: Int
    /// 2 · median, in millionths.
    let doubledMedian: Int128
    /// 4 · MAD (median absolute deviation), in millionths.
    let quadrupledMAD: Int128
    /// Σ 2·|x − median|, in millionths (nil if beyond 128 bits: then there is no fallback).
    let doubledDeviationSum: Int128?

    /// Values this large cannot be doubled and summed safely; no survey figure comes near (≤ 10^21).
    /// (Computed, not stored: a stored static would be a lazily initialised global on the hot path.)
    static var limit: Int128 { 1 << 120 }

    var median: ExactDecimal {
        // 2·median / 2 = 5·(2·median) at one more decimal place: exact.
        ExactDecimal(units: doubledMedian * 5, scale: CellValues.scale + 1)
    }

    /// A spread as stored (`FollowUpBasis`).
    init(count: Int, doubledMedian: Int128, quadrupledMAD: Int128, doubledDeviationSum: Int128?) {
        self.count = count
        self.doubledMedian = doubledMedian
        self.quadrupledMAD = quadrupledMAD
        self.doubledDeviationSum = doubledDeviationSum
    }

    /// The spread of the figures (which it reorders). Figures that fit comfortably in 64 bits (all
    /// survey figures do) are worked on as Int64, twice as fast to select; the result is the same.
    init?(_ figures: UnsafeMutableBufferPointer<Int128>) {
        guard !figures.isEmpty, figures.allSatisfy({ $0 < Self.limit && $0 > -Self.limit }) else { return nil }
        let narrow: Int128 = 1 << 61   // |x| < 2^61 ⇒ 2·x, 2·median and 2·|x − median| fit in Int64
        if figures.allSatisfy({ $0 < narrow && $0 > -narrow }) {
            let small = UnsafeMutableBufferPointer<Int64>.allocate(capacity: figures.count)
            defer { small.deallocate() }
            for i in figures.indices { small[i] = Int64(truncatingIfNeeded: figures[i]) }
            (doubledMedian, quadrupledMAD, doubledDeviationSum) = Self.measure(small)
        } else {
            (doubledMedian, quadrupledMAD, doubledDeviationSum) = Self.measure(figures)
        }
        count = figures.count
    }

    /// The spread of figures that all fit the 64-bit path (|x| < 2^61; which it reorders).
    init?(narrow figures: UnsafeMutableBufferPointer<Int64>) {
        guard !figures.isEmpty else { return nil }
        (doubledMedian, quadrupledMAD, doubledDeviationSum) = Self.measure(figures)
        count = figures.count
    }

    /// 2·median, 4·MAD and Σ 2·|x − median| of the figures, which are replaced by their doubled deviations.
    static func measure<T: FixedWidthInteger & SignedInteger>(_ figures: UnsafeMutableBufferPointer<T>)
        -> (Int128, Int128, Int128?) {
        let twiceMedian = self.twiceMedian(figures)
        var sum: Int128 = 0, overflow = false
        for i in figures.indices {
            let d0 = 2 * figures[i] - twiceMedian, d = d0 < 0 ? -d0 : d0
            figures[i] = d
            let (x, o) = sum.addingReportingOverflow(Int128(d))
            sum = x
            overflow = overflow || o
        }
        // median(2·|x − m|) doubled = 4·MAD.
        return (Int128(twiceMedian), Int128(self.twiceMedian(figures)), overflow ? nil : sum)
    }

    /// The integer constants of `|z| > t` (t = units·10^-s), worked out once per scan.
    struct Limit {
        let madFactor: Int128, madLimit: Int128, meanScale: Int128, meanLimit: Int128
        init(_ threshold: ExactDecimal) {
            let t = threshold.normalized
            madFactor = 13_490 * ExactDecimal.pow10(t.scale)
            madLimit = t.units * 10_000
            meanScale = ExactDecimal.pow10(6 + t.scale)
            meanLimit = t.units * 1_253_314
        }
    }

    /// The largest doubled deviation D = 2·|x − median| that is not an outlier: |z| > t ⟺ D > cutoff,
    /// decided without rounding (t = t_units·10^-s):
    /// MAD > 0: 0.6745·D/2 > t·(4·MAD)/4  ⟺  13490·10^s·D > t_units·10^4·(4·MAD);
    /// else:    D/2 > t·1.253314·ΣD/(2n)  ⟺  n·10^(6+s)·D > t_units·1253314·ΣD;
    /// and for integers D, c·D > X ⟺ D > ⌊X / c⌋. Nil when the spread is 0 (nothing is an outlier).
    func cutoff(_ limit: Limit) -> Int128? {
        if quadrupledMAD > 0 { return Self.floorQuotient(limit.madLimit, quadrupledMAD, limit.madFactor) }
        guard let sum = doubledDeviationSum, sum > 0 else { return nil }
        return Self.floorQuotient(limit.meanLimit, sum, Int128(count) * limit.meanScale)
    }

    /// ⌊a·b / c⌋ for a, b ≥ 0 and c > 0, through the 256-bit product; Int128.max when larger.
    static func floorQuotient(_ a: Int128, _ b: Int128, _ c: Int128) -> Int128 {
        let product = a.magnitude.multipliedFullWidth(by: b.magnitude)
        let divisor = c.magnitude
        if product.high >= divisor { return .max }
        let quotient = divisor.dividingFullWidth(product).quotient
        return quotient > UInt128(Int128.max) ? .max : Int128(quotient)
    }

    /// The modified z-score as a Double, for display and ranking only; nil when the spread is 0.
    func z(_ x: Int128) -> Double? {
        guard x < Self.limit && x > -Self.limit else { return nil }
        let d = Double(2 * x - doubledMedian)
        if quadrupledMAD > 0 { return 1.349 * d / Double(quadrupledMAD) }            // 0.6745·(d/2)/(4MAD/4)
        guard let sum = doubledDeviationSum, sum > 0 else { return nil }
        return d * Double(count) / (1.253314 * Double(sum))                          // (d/2)/(1.253314·ΣD/2n)
    }

    /// 2 · median of the values (reorders them): the middle value doubled, or the two middle values added.
    static func twiceMedian<T: FixedWidthInteger & SignedInteger>(_ values: UnsafeMutableBufferPointer<T>) -> T {
        let k = values.count / 2
        let upper = select(values, k)
        if values.count % 2 == 1 { return 2 * upper }
        // After selection everything before k is ≤ values[k]: the lower middle value is their largest.
        return values[..<k].max()! + upper
    }

    /// The k-th smallest value (Hoare's selection, median-of-three pivot), leaving smaller values
    /// before k and larger after. Deterministic; handles long runs of equal figures (zeros) well.
    static func select<T: FixedWidthInteger>(_ a: UnsafeMutableBufferPointer<T>, _ k: Int) -> T {
        var low = 0, high = a.count - 1
        while low < high {
            let mid = low + (high - low) / 2
            let x = a[low], y = a[mid], z = a[high]
            let pivot = max(min(x, y), min(max(x, y), z))
            // The pivot is one of the values, so both scans stop inside [low, high]: wrapping
            // arithmetic on the indices cannot wrap, and skips the overflow checks.
            var i = low, j = high
            while i <= j {
                while a[i] < pivot { i &+= 1 }
                while a[j] > pivot { j &-= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i &+= 1
                    j &-= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { return a[k] }
        }
        return a[k]
    }
}
