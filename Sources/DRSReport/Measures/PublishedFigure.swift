import DRSCore

/// One figure of the report as it will be published: its exact value (nil when withheld), why it
/// is withheld, and how many units stand behind it.
public struct PublishedFigure: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Published.
        case published
        /// Withheld by disclosure control (primary or secondary): printed as the suppression symbol.
        case suppressed
        /// No unit reported it: printed as "—"; not a secret.
        case empty
    }

    public var value: ExactDecimal?
    public var status: Status
    /// Units (not holdings) behind the figure.
    public var contributors: Int

    public static let empty = PublishedFigure(value: nil, status: .empty, contributors: 0)

    public init(value: ExactDecimal?, status: Status, contributors: Int) {
        self.value = status == .published ? value : nil
        self.status = status
        self.contributors = contributors
    }

    /// A figure computed from others: published only when every one of them is.
    public static func derived(_ value: ExactDecimal?, from parts: [PublishedFigure], contributors: Int) -> PublishedFigure {
        if parts.contains(where: { $0.status == .suppressed }) { return PublishedFigure(value: nil, status: .suppressed, contributors: contributors) }
        guard let value else { return PublishedFigure(value: nil, status: .empty, contributors: contributors) }
        return PublishedFigure(value: value, status: .published, contributors: contributors)
    }
}

/// Where a figure sits: the breakdown and the code of its row ("Total" for the national figure).
public struct FigureKey: Sendable, Hashable {
    public var breakdown: ReportTemplate.Breakdown
    public var code: String

    public static let national = FigureKey(breakdown: .national, code: "Total")

    public init(breakdown: ReportTemplate.Breakdown, code: String) {
        self.breakdown = breakdown
        self.code = code
    }
}
