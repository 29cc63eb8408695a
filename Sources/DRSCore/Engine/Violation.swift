/// A rule that does not hold for a submission, with everything a filer or reviewer needs to act.
public struct Violation: Sendable, Equatable {
    public var form: String
    public var ruleID: String
    /// The rule's expression as checked (templates with their row filled in).
    public var expression: String
    /// The seed's own text of a printed 审核关系 (`01≥02+03`).
    public var seed: String?
    public var severity: Severity
    public var origin: Rule.Origin
    public var column: ColumnID
    public var columnName: String
    public var member: String?
    public var memberName: String?
    public var cells: [Cell]
    /// The message in Chinese: 「数据生产总量[01]=120 应 ≥ 设备设施采集数据总量[02]+系统/软件生成数据总量[03]=150（截至本年）」
    public var message: String
    /// A warning the filer must answer with a written explanation before submitting.
    public var needsExplanation: Bool
    public var explanation: String?

    public struct Cell: Sendable, Equatable {
        public var code: String
        public var column: ColumnID
        public var member: String?
        public var name: String
        /// The figure as stored (plain decimal), nil when empty.
        public var value: String?
        /// True for last year's figure (cross-period rules).
        public var lastYear: Bool
    }

    /// The row the violation is about (its first cell), for placing the message next to a cell.
    public var primaryCode: String? { cells.first?.code }
    public var isExplained: Bool { !(explanation?.trimmingWhitespace().isEmpty ?? true) }
}

/// The outcome of checking one submission.
public struct CheckReport: Sendable {
    public var errors: [Violation]
    public var warnings: [Violation]
    /// Sum rules that hold only within rounding (docs/rounding.md): shown, never blocking.
    public var notes: [Violation]
    /// Required cells left blank (blank is not zero): they block submission, approval and verification.
    public var missing: [MissingCell]

    public init(errors: [Violation] = [], warnings: [Violation] = [], notes: [Violation] = [], missing: [MissingCell] = []) {
        self.errors = errors
        self.warnings = warnings
        self.notes = notes
        self.missing = missing
    }

    /// No error and no warning (notes and blanks aside): the figures themselves are consistent.
    public var isClean: Bool { errors.isEmpty && warnings.isEmpty }
    /// Every required cell holds a figure.
    public var isComplete: Bool { missing.isEmpty }
    /// Submission is allowed when the form is complete, no error remains and every warning that needs
    /// one is explained.
    public var blocksSubmission: Bool {
        !missing.isEmpty || !errors.isEmpty || warnings.contains { $0.needsExplanation && !$0.isExplained }
    }

    mutating func append(_ violation: Violation) {
        switch violation.severity {
        case .error: errors.append(violation)
        case .warning: warnings.append(violation)
        case .note: notes.append(violation)
        }
    }
}
