/// What happens to a cell when the table is published.
public enum CellStatus: String, Sendable, Hashable, CaseIterable {
    /// Unsafe by the rules: suppressed.
    case primary
    /// Safe itself, suppressed so that a primary cell cannot be derived from the published ones.
    case secondary
    /// Published.
    case safe
    /// No contributors: published as known zero (“-”), never suppressed.
    case empty

    public var isSuppressed: Bool { self == .primary || self == .secondary }
}

/// How secondary suppression weighs a cell it suppresses.
public enum SuppressionCost: String, Sendable, CaseIterable {
    /// Suppress as little value as possible (tau-Argus' usual cost).
    case value
    /// Suppress as few cells as possible.
    case count
}

/// A table after protection: each cell's status, and the levels that were protected.
public struct ProtectedTable: Sendable {
    public let table: MagnitudeTable
    public let rules: SafetyRules
    public let sensitivity: [CellSensitivity]
    public let status: [CellStatus]
    /// Primary cells no suppression pattern can protect (their level exceeds what non-negativity
    /// allows); they stay suppressed and the audit lists them.
    public let unprotectable: [Int]
    /// Linear programmes solved to find the pattern.
    public let programmes: Int

    public var primaryCount: Int { status.lazy.filter { $0 == .primary }.count }
    public var secondaryCount: Int { status.lazy.filter { $0 == .secondary }.count }
    public var suppressed: [Bool] { status.map(\.isSuppressed) }
}
