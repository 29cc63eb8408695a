import DRSCore
import DRSDisclosure

/// Why a report cannot be built.
public struct ReportBuildError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Builds 《全国数据资源调查报告》 from verified figures: every measure protected (both years), every
/// table laid out from the protected figures, every sentence quoting them, and the attacker's audit
/// of every protected table. The caller refuses to publish a document whose audit fails.
public struct ReportBuilder: Sendable {
    public var template: ReportTemplate
    public var rules: SafetyRules
    public var suppression: SecondarySuppression
    public var auditor: AttackerAudit

    public init(template: ReportTemplate, rules: SafetyRules, suppression: SecondarySuppression, auditor: AttackerAudit) {
        self.template = template
        self.rules = rules
        self.suppression = suppression
        self.auditor = auditor
    }

    public func build(_ input: ReportInput) async throws(ReportBuildError) -> ReportDocument {
        let problems = template.problems(catalog: input.catalog)
        guard problems.isEmpty else { throw ReportBuildError(message: "报告模板有误：" + problems.joined(separator: "；")) }
        guard input.records.values.contains(where: { !$0.isEmpty }) else {
            throw ReportBuildError(message: "\(input.year)年没有已核定的数据，不能生成报告")
        }
        let clock = ContinuousClock(), started = clock.now
        let figures: ReportFigures
        do {
            figures = try await ReportFigures.protect(template, input: input, rules: rules, suppression: suppression)
        } catch {
            throw ReportBuildError(message: "保密处理失败：\(error.message)")
        }
        let protectedAt = clock.now
        let codes = BreakdownCodes(catalog: input.catalog)
        let tables = TableBuilder(template: template, figures: figures, codes: codes, year: input.year)
        let sentences = SentenceFiller(template: template, figures: figures, codes: codes, year: input.year)
        var chapters: [ReportChapter] = [], cells: [PublishedCell] = []
        for spec in template.chapters {
            var built: [ReportTable] = []
            for table in spec.tables {
                let (t, c) = tables.build(table)
                built.append(t)
                cells += c
            }
            chapters.append(ReportChapter(id: spec.id, title: spec.title, paragraphs: spec.paragraphs.map(sentences.fill), tables: built))
        }
        let (methodology, coverageCells) = MethodologyChapter(template: template, input: input, codes: codes).build()
        chapters.append(methodology)
        cells += coverageCells
        let laidOutAt = clock.now
        let audit = await audit(figures)
        let timings = ReportTimings(protection: Self.seconds(protectedAt - started), layout: Self.seconds(laidOutAt - protectedAt),
                                    audit: Self.seconds(clock.now - laidOutAt))
        return ReportDocument(title: template.title.replacingYear(input.year), subtitle: template.subtitle?.replacingYear(input.year),
                              issuer: template.issuer, year: input.year, chapters: chapters, cells: cells, audit: audit, timings: timings)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The attacker's programme on every protected table of both years, one task per table.
    func audit(_ figures: ReportFigures) async -> ReportAudit {
        let tables = (Array(figures.current.values) + Array(figures.previous.values)).sorted { $0.id < $1.id }
            .flatMap { [($0.id, $0.byProvinceAndType), ($0.id, $0.byIndustry)] }
        let auditor = self.auditor
        let reports = await withTaskGroup(of: (String, ProtectedTable, AttackerAudit.Report).self) { group in
            for (id, table) in tables {
                group.addTask { (id, table, auditor.audit(table.table, sensitivity: table.sensitivity, suppressed: table.suppressed)) }
            }
            var all: [(String, ProtectedTable, AttackerAudit.Report)] = []
            for await r in group { all.append(r) }
            return all
        }
        var audit = ReportAudit(tables: reports.count, sensitiveCells: 0, failingCells: 0, primary: 0, secondary: 0, failures: [])
        for (id, table, report) in reports {
            audit.sensitiveCells += report.intervals.count
            audit.failingCells += report.failing + report.solverProblems.count
            audit.primary += table.primaryCount
            audit.secondary += table.secondaryCount
            for interval in report.intervals where interval.fails {
                audit.failures.append("\(id) \(table.table.labels(of: interval.cell).joined(separator: "×"))")
            }
            audit.failures += report.solverProblems.map { "\(id)：\($0)" }
        }
        return audit
    }
}
