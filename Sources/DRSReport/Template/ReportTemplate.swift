/// 《全国数据资源调查报告》 as data: its measures, chapters, tables, charts and sentence patterns,
/// read from `catalog/<edition>/report.json` beside the forms, so the next edition is a new file.
public struct ReportTemplate: Decodable, Sendable {
    public var schemaVersion: Int
    /// The report's title and the line under it on the cover; `{year}` is replaced by the survey year.
    public var title: String
    public var subtitle: String?
    public var issuer: String
    /// What the report sums: one figure per unit, read from the cell of the form the unit files.
    public var measures: [Measure]
    public var chapters: [Chapter]
    /// The methodology chapter's fixed text (non-response, revisions); coverage tables are computed.
    public var methodology: Methodology

    public struct Source: Decodable, Sendable, Hashable {
        public var form: String
        public var indicator: String
        /// For a weighted mean: the indicator of the same form that weights it.
        public var weight: String?
        /// Indicators of the same form the unit must also have filled to count: the numerator and the
        /// denominator of a ratio (存储空间利用率) are then summed over the same units.
        public var requires: [String]?
    }

    public struct Measure: Decodable, Sendable {
        public var id: String
        public var name: String
        /// The catalog unit of the summed cells (TB, 万元, TFLOPS, 个, %).
        public var unit: String
        public var kind: Kind = .sum
        /// The catalog column summed (default 本年实际 `cur`).
        public var column: String = "cur"
        /// `sum` and `weightedMean`: the cells summed, one per form.
        public var sources: [Source] = []
        /// `ratio`: two sum measures; the figure is numerator / denominator (× 100 when `percent`).
        public var numerator: String?
        public var denominator: String?
        public var percent: Bool = false

        public enum Kind: String, Decodable, Sendable { case sum, weightedMean, ratio }

        enum CodingKeys: String, CodingKey { case id, name, unit, kind, column, sources, numerator, denominator, percent }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            name = try c.decode(String.self, forKey: .name)
            unit = try c.decode(String.self, forKey: .unit)
            kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .sum
            column = try c.decodeIfPresent(String.self, forKey: .column) ?? "cur"
            sources = try c.decodeIfPresent([Source].self, forKey: .sources) ?? []
            numerator = try c.decodeIfPresent(String.self, forKey: .numerator)
            denominator = try c.decodeIfPresent(String.self, forKey: .denominator)
            percent = try c.decodeIfPresent(Bool.self, forKey: .percent) ?? false
        }
    }

    public struct Chapter: Decodable, Sendable {
        public var id: String
        public var title: String
        /// Sentence patterns: `{year}`, `{prevYear}`, `{m}` (national figure of measure m in readable
        /// units), `{m.growth}`, `{m.growthMatched}`, `{m.topShare:6}`, `{m.topNames:6}`, `{m.topType}`.
        public var paragraphs: [String]
        public var tables: [Table]
    }

    public struct Table: Decodable, Sendable {
        public var id: String
        public var title: String
        public var breakdown: Breakdown
        public var measures: [String]
        /// Add each row's share of the national figure (sum measures only).
        public var share: Bool?
        /// Add each row's rank (by the first measure).
        public var rank: Bool?
        public var chart: ChartSpec?
    }

    public enum Breakdown: String, Decodable, Sendable, CaseIterable {
        /// Last year, this year, growth for all respondents and for units in both years.
        case national
        case province, type, industry
    }

    public struct ChartSpec: Decodable, Sendable {
        public var kind: Kind
        /// The measure drawn (default: the table's first); `stackedShare` draws all the table's measures.
        public var measure: String?
        public enum Kind: String, Decodable, Sendable { case bar, line, stackedShare, tileMap }
    }

    public struct Methodology: Decodable, Sendable {
        public var title: String
        public var paragraphs: [String]
    }

    public func measure(_ id: String) -> Measure? { measures.first { $0.id == id } }
}
