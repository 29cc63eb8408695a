import DRSCore

/// Why a figure of a protected aggregate is withheld (统计法第二十八条): unsafe itself, or hidden so
/// that an unsafe one cannot be derived. The server layer knows the marks, not how they were found
/// (disclosure control runs in DRSDisclosure, called by `drs aggregate --protect`).
public enum SuppressionMark: String, Sendable {
    case primary, secondary

    /// SDMX CONF_STATUS (CL_CONF_STATUS): C confidential, D secondary confidentiality.
    public var confidentialityStatus: String { self == .primary ? "C" : "D" }
}

/// The marks of one protected aggregate, and how a withheld figure is shown.
///
/// Only the marks are kept: the safety rules and their parameters must not be published, so
/// nothing here carries them into an output file.
public struct AggregateSuppression: Sendable {
    /// The mark of a slot in the group with `key` of the grouping over `grouping`, nil when published.
    public var mark: @Sendable (_ grouping: [String], _ key: [String], _ slot: Int) -> SuppressionMark?

    public init(mark: @escaping @Sendable (_ grouping: [String], _ key: [String], _ slot: Int) -> SuppressionMark?) {
        self.mark = mark
    }

    /// The symbol that replaces a withheld figure in the 汇总表.
    public static let symbol = "x"
    /// The footnote under every protected 汇总表.
    public static let footnote = "x：依《统计法》第二十八条不予公布（保密）"

    /// SDMX CONF_STATUS of a slot in a group (F: free when published).
    public func confidentialityStatus(_ grouping: [String], _ key: [String], _ slot: Int) -> String {
        mark(grouping, key, slot)?.confidentialityStatus ?? "F"
    }
}
