import DRSCore

/// One unit's verified submission of one form, with what the report breaks it down by.
public struct ReportRecord: Sendable {
    /// The unit's stable key (its id), for provenance and for matching the two years.
    public var unit: String
    public var province: String
    public var type: String
    /// Industry section (GB/T 4754 门类), or "-" when not yet assigned.
    public var industry: String
    /// The holding a subsidiary or a headquarters belongs to (one contributor for the safety rules).
    public var holding: String?
    public var values: CellValues
    /// The same unit's verified figures of the previous year, when it had them.
    public var lastYear: CellValues?

    public init(unit: String, province: String, type: String, industry: String, holding: String?, values: CellValues,
                lastYear: CellValues?) {
        self.unit = unit
        self.province = province
        self.type = type
        self.industry = industry
        self.holding = holding
        self.values = values
        self.lastYear = lastYear
    }
}

/// A unit asked to report this year, and whether its figures are verified (for coverage).
public struct CoverageEntry: Sendable {
    public var province: String
    public var type: String
    public var verified: Bool

    public init(province: String, type: String, verified: Bool) {
        self.province = province
        self.type = type
        self.verified = verified
    }
}

/// Everything the report is made from: verified figures of the year and the year before, the
/// registry's coverage, and the names of codes. Read by the storage layer; the report does no I/O.
public struct ReportInput: Sendable {
    public var year: Int
    public var catalog: CompiledCatalog
    /// This year's verified records by form.
    public var records: [String: [ReportRecord]]
    /// Last year's verified records by form (national totals for growth of all respondents).
    public var lastYearRecords: [String: [ReportRecord]]
    public var coverage: [CoverageEntry]

    public init(year: Int, catalog: CompiledCatalog, records: [String: [ReportRecord]], lastYearRecords: [String: [ReportRecord]],
                coverage: [CoverageEntry]) {
        self.year = year
        self.catalog = catalog
        self.records = records
        self.lastYearRecords = lastYearRecords
        self.coverage = coverage
    }
}
