import DRSCharts
import DRSCore

/// The report as built: chapters of sentences, tables and charts, and every published cell.
/// Renderers (HTML, CSV, workbook) only lay it out.
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: String?
    public var issuer: String
    public var year: Int
    public var chapters: [ReportChapter]
    /// One entry per published table cell (`cells.csv`).
    public var cells: [PublishedCell]
    /// The attacker's audit of every protected table.
    public var audit: ReportAudit
    /// Where the build's time went (for the operator and the benchmarks).
    public var timings: ReportTimings
    public static let suppressedSymbol = "x"
    public static let suppressedFootnote = "x：依《统计法》第二十八条不予公布（保密）"
    public static let emptySymbol = "—"
}

public struct ReportChapter: Sendable {
    public var id: String
    public var title: String
    public var paragraphs: [String]
    public var tables: [ReportTable]
}

public struct ReportTable: Sendable {
    public var id: String
    public var title: String
    /// Header of the row labels (省份, 调查对象类型, 行业门类, 指标).
    public var rowHeader: String
    public var columns: [String]
    public var rows: [ReportRow]
    public var chart: Chart?
    public var notes: [String]
    public var hasSuppressed: Bool { rows.contains { $0.cells.contains(ReportDocument.suppressedSymbol) } }
}

public struct ReportRow: Sendable {
    public var label: String
    /// Printed text of each cell: a number, the suppression symbol or "—".
    public var cells: [String]
}

/// One published table cell, as `cells.csv` lists it, with where it came from.
public struct PublishedCell: Sendable {
    public var table: String
    /// The forms the figure is read from, joined by `|`.
    public var form: String
    /// Per form (same order): `01` (a sum), `16[06]` (a mean weighted by 06), `06/04` (a ratio).
    public var indicator: String
    /// The catalog column (`cur` 本年实际 for flows, `cum` 截至本年 for stocks), with `/lastYear` for
    /// last year's national figure and `/share`, `/rank`, `/growth` or `/growthMatched` for derived cells.
    public var column: String
    public var province: String
    public var respType: String
    public var industry: String
    /// The exact figure in the catalog's unit (not the readable unit the table prints), nil when withheld.
    public var value: ExactDecimal?
    public var suppressed: Bool
    public var contributors: Int
    /// Where the figure came from, for the national office's provenance file.
    public var filter: String
}

/// The outcome of the attacker's programme over every protected table of the report.
public struct ReportAudit: Sendable {
    public var tables: Int
    public var sensitiveCells: Int
    public var failingCells: Int
    public var primary: Int
    public var secondary: Int
    public var failures: [String]
    public var passes: Bool { failingCells == 0 }
}

/// Seconds spent protecting the measures (both years), laying out tables and sentences, and auditing.
public struct ReportTimings: Sendable {
    public var protection: Double
    public var layout: Double
    public var audit: Double
}
