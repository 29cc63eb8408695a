import DRSCore
import DRSDisclosure
import DRSNation
@testable import DRSReport
import DRSSolverCLP
import Testing

/// The report of a generated nation, audited from the outside: for every sum measure, the tables an
/// intruder sees (the published margins by province and by type, with everything unpublished
/// unknown; the industry table) are rebuilt from the unit-level figures and attacked with the
/// linear programme, and every published cell is checked for three holdings.
@Suite struct NationReportAuditTests {
    static let nation = Task { try NationInput(units: 1_200, year: 2026) }
    static let built = Task { try await Shipped.builder().build(try await nation.value.input) }

    @Test func everyPublishedTableOfTheNationPassesAnIndependentAudit() async throws {
        let nation = try await Self.nation.value, document = try await Self.built.value
        #expect(document.audit.passes)
        let auditor = AttackerAudit(solver: CLPSolver())
        var audited = 0
        for measure in Shipped.template.measures where measure.kind == .sum {
            let form = measure.sources.map(\.form).joined(separator: "|"), indicator = measure.sources.map(\.indicator).joined(separator: "|")
            let published = document.cells.filter { $0.form == form && $0.indicator == indicator && $0.column == measure.column }
            guard !published.isEmpty else { continue }
            let contributions = Self.contributions(measure, nation.records)
            for dimensions in [["province", "type"], ["industry"]] {
                let table = try MagnitudeTable.build(dimensionNames: dimensions, contributions: contributions.map { f in
                    Contribution(coordinates: dimensions.map { f.coordinates[$0] ?? "-" }, holding: f.holding, value: f.value)
                }, largestKept: SafetyRules.standard.largestContributionsNeeded)
                let suppressed = (0..<table.cellCount).map { Self.unknownToIntruder(table.labels(of: $0), dimensions, published) }
                let report = auditor.audit(table, sensitivity: CellSensitivity.assess(table, rules: .standard), suppressed: suppressed)
                #expect(report.failing == 0, "\(measure.id) \(dimensions): \(report.failing) cells derivable")
                #expect(report.solverProblems.isEmpty)
                for cell in 0..<table.cellCount where !suppressed[cell] && table.contributors[cell] > 0 {
                    #expect(table.contributors[cell] >= 3, "\(measure.id) \(table.labels(of: cell)) has \(table.contributors[cell]) holdings")
                }
                audited += 1
            }
        }
        #expect(audited >= 20)
    }

    @Test func everyPublishedSumIsTheExactSumOfItsUnits() async throws {
        let nation = try await Self.nation.value, document = try await Self.built.value
        for measure in Shipped.template.measures where measure.kind == .sum {
            let form = measure.sources.map(\.form).joined(separator: "|"), indicator = measure.sources.map(\.indicator).joined(separator: "|")
            let contributions = Self.contributions(measure, nation.records)
            for cell in document.cells where cell.form == form && cell.indicator == indicator && cell.column == measure.column && !cell.suppressed {
                let rows = contributions.filter {
                    (cell.province == "Total" || $0.coordinates["province"] == cell.province) && (cell.respType == "Total" || $0.coordinates["type"] == cell.respType)
                        && (cell.industry == "Total" || $0.coordinates["industry"] == cell.industry)
                }
                let sum = try rows.reduce(ExactDecimal.zero) { try $0.adding($1.value) }
                #expect(cell.value == sum, "\(cell.table) \(measure.id) \(cell.province)/\(cell.respType)/\(cell.industry)")
                #expect(cell.contributors == rows.count)
            }
        }
    }

    @Test func theGeneratedNationGivesAReportOfTheRightOrder() async throws {
        let document = try await Self.built.value
        let production = try #require(document.chapters.first?.paragraphs.first)
        // A nation of 1,200 units produces on the order of tens of EB (docs/synthetic-nation.md).
        #expect(production.contains("EB") || production.contains("ZB") || production.contains("PB"))
        #expect(document.chapters.count == Shipped.template.chapters.count + 1)
    }

    struct Figure {
        var coordinates: [String: String]
        var holding: String?
        var value: ExactDecimal
    }

    static func contributions(_ measure: ReportTemplate.Measure, _ records: [String: [ReportRecord]]) -> [Figure] {
        measure.sources.flatMap { source -> [Figure] in
            guard let form = Shipped.catalog.forms[source.form], let row = RowValue(form: form, code: source.indicator, column: measure.column) else { return [] }
            return (records[source.form] ?? []).compactMap { r in
                row.value(in: r.values).map { Figure(coordinates: ["province": r.province, "type": r.type, "industry": r.industry], holding: r.holding, value: $0) }
            }
        }
    }

    /// A cell is known to the intruder only if some table of the report publishes it.
    static func unknownToIntruder(_ labels: [String], _ dimensions: [String], _ published: [PublishedCell]) -> Bool {
        let key: (String, String, String)
        if dimensions == ["industry"] {
            key = ("Total", "Total", labels[0])
        } else {
            guard labels[0] == "Total" || labels[1] == "Total" else { return true }
            key = (labels[0], labels[1], "Total")
        }
        guard let cell = published.first(where: { ($0.province, $0.respType, $0.industry) == key }) else { return true }
        return cell.suppressed
    }
}
