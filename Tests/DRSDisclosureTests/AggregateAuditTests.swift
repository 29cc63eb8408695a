import DRSCore
import DRSDisclosure
import DRSSolverCLP
import Foundation
import Testing

/// The attacker's audit of a protected aggregate, which every release must pass.
@Suite struct AggregateAuditTests {
    /// A solver that answers nothing: the audit must count every sensitive cell as failing.
    struct SilentSolver: LinearProgramSolver {
        final class Loaded: LoadedLinearProgram {
            func optimize(column: Int, _ sense: OptimizationSense) -> LinearProgramOutcome { .failed("no answer") }
        }
        func solve(_ program: LinearProgram, _ sense: OptimizationSense) -> LinearProgramOutcome { .failed("no answer") }
        func load(_ program: LinearProgram) -> any LoadedLinearProgram { Loaded() }
    }

    let form: CompiledForm

    init() throws {
        let decoder = JSONDecoder()
        let survey = try decoder.decode(Survey.self, from: Data(AggregateProtectionTests.survey.utf8))
        let form = try decoder.decode(Form.self, from: Data(AggregateProtectionTests.form.utf8))
        let catalog = try CompiledCatalog(Catalog(survey: survey, forms: [form], codeLists: [:], registries: [:]))
        self.form = try #require(catalog.form("T1"))
    }

    /// Three units in Beijing, three in Shanghai, one in Guangdong, by province.
    func protectedByProvince() throws -> AggregateDisclosure {
        let slot = try #require(form.layout.slot(AggregateProtectionTests.storage))
        let units = ["110000", "110000", "110000", "310000", "310000", "310000", "440000"].map { province in
            var values = CellValues(count: form.layout.count)
            values[slot] = ExactDecimal(province == "440000" ? 50 : 100)
            return AggregateProtection.Unit(record: AggregateRecord(dimensions: ["province": province], values: values))
        }
        let table = try Aggregator(form: form).aggregate(units.map(\.record), groupings: [[], ["province"]])
        let protection = AggregateProtection(suppression: SecondarySuppression(solver: CLPSolver()), rules: .standard)
        return try protection.protect(table, form: form, units: units, by: ["province"])
    }

    @Test func aProtectedAggregatePassesTheAudit() throws {
        let disclosure = try protectedByProvince()
        let summary = disclosure.audit(AttackerAudit(solver: CLPSolver()))
        #expect(summary.passes)
        #expect(summary.primary == 1 && summary.secondary == 1)
        #expect(summary.cellsFailing == 0 && summary.failures.isEmpty)
    }

    @Test func anUnansweredAuditFailsTheRelease() throws {
        let summary = try protectedByProvince().audit(AttackerAudit(solver: SilentSolver()))
        #expect(!summary.passes)
        #expect(summary.cellsFailing > 0)
        #expect(!summary.failures.isEmpty)
    }
}
