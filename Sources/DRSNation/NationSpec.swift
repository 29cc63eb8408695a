/// What to generate: how many units, the survey year Y (figures for Y−1 and Y), and the seed.
public struct NationSpec: Sendable, Equatable {
    /// Fewest units for which every respondent type still has a unit in every province (the small
    /// nation combines related types in one unit: see docs/synthetic-nation.md).
    public static let minimumUnits = 200
    public static let maximumUnits = 200_000

    public var units: Int
    public var year: Int
    public var seed: UInt64

    public init(units: Int, year: Int, seed: UInt64 = 2026) {
        self.units = units
        self.year = year
        self.seed = seed
    }

    /// Why the spec cannot be generated (in Chinese), or nil.
    public var problem: String? {
        if units < Self.minimumUnits || units > Self.maximumUnits {
            return "单位数应在 \(Self.minimumUnits) 至 \(Self.maximumUnits) 之间（每个省份都要有每类调查对象），而不是 \(units)"
        }
        return nil
    }
}

/// Why a nation cannot be generated.
public struct NationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
