import DRSCore

/// Independent random streams keyed by (seed, purpose, index): a unit's numbers never depend on
/// another unit's, so units can be generated in any order, on any core, with the same result.
struct NationRandom {
    private var generator: SampleSubmissions.Generator

    init(seed: UInt64, stream: UInt64, index: Int) {
        var mixer = SampleSubmissions.Generator(seed: seed ^ (stream &* 0xD6E8_FEB8_6659_FD93))
        var key = mixer.next() ^ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15
        key ^= key >> 29
        generator = SampleSubmissions.Generator(seed: key)
    }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in [0, 1).
    mutating func fraction() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in 0..<count (0 when count ≤ 0).
    mutating func below(_ count: Int) -> Int { count > 0 ? Int(next() % UInt64(count)) : 0 }

    mutating func chance(_ probability: Double) -> Bool { fraction() < probability }

    /// An index drawn with the given (non-negative) weights.
    mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = fraction() * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return max(0, weights.count - 1)
    }

    /// A Pareto draw with tail index 4/3 (P(X ≥ x) = x^(−4/3)), capped: most draws are 1–5, about one
    /// in ten thousand is above 1,000 — the heavy tail of real holdings (the top 1% of units hold about
    /// a third of the volume) from square roots alone, without a floating-point library.
    mutating func paretoFactor(cap: Int) -> Int {
        let u = max(fraction(), 1e-12)
        let root = u.squareRoot()
        let draw = 1.0 / (root * root.squareRoot())   // u^(−3/4)
        return draw >= Double(cap) ? cap : max(1, Int(draw))
    }
}

/// FNV-1a of a text: a stable key (Swift's `Hasher` is seeded per process).
func stableKey(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    return hash
}
