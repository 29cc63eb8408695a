import DRSCore
import Testing

/// For each numeric form: a clean submission passes, and for each printed or implied rule a
/// submission that breaks exactly that rule is reported with the right rule, column and cells.
@Suite("Each rule, broken alone")
struct RuleBreakingTests {
    static let numericForms = ["P2", "P3", "P4", "P5", "E2", "E3", "E4", "E5", "E6", "E7", "I1"]
    /// Two unit profiles between them fill every row (operator rows and product rows exclude each other).
    static let profiles = [UnitProfile(telecomOperator: false, stateOwned: true, internetPlatform: true),
                           UnitProfile(telecomOperator: true, stateOwned: true, internetPlatform: true)]

    @Test(arguments: numericForms)
    func cleanSubmissionPasses(_ formID: String) throws {
        let form = try #require(Shipped.catalog.form(formID))
        for (i, profile) in Self.profiles.enumerated() {
            for seed in 0..<5 {
                let values = SampleSubmissions.clean(form, seed: UInt64(seed * 10 + i), profile: profile, units: Shipped.units)
                let report = form.check(values, profile: profile)
                #expect(report.isClean, "\(formID) seed \(seed): \(report.errors.map(\.message) + report.warnings.map(\.message))")
                #expect(values.filledCount > 0)
            }
        }
    }

    /// `Σ sign·cell` of one side of a comparison, in one column and member.
    static func terms(_ e: RuleExpression, form: CompiledForm, column: String, member: String?, sign: Int) -> [(slot: Int, sign: Int)]? {
        switch e {
        case .literal: return []
        case .cell(let ref):
            let col = ref.column ?? column
            switch ref.member {
            case .allMembers?:
                let total = form.layout.totalMemberByRow[ref.code]
                return form.layout.membersByRow[ref.code]!.filter { $0 != total }.map { (form.layout.slot(code: ref.code, column: col, member: $0)!, sign) }
            case .member(let m)?: return form.layout.slot(code: ref.code, column: col, member: m).map { [($0, sign)] }
            case nil:
                let m = form.layout.membersByRow[ref.code] == nil ? nil : member
                return form.layout.slot(code: ref.code, column: col, member: m).map { [($0, sign)] }
            }
        case .function(.sum, let args): return args.count == 1 ? terms(args[0], form: form, column: column, member: member, sign: sign) : nil
        case .binary(.add, let a, let b):
            guard let x = terms(a, form: form, column: column, member: member, sign: sign),
                  let y = terms(b, form: form, column: column, member: member, sign: sign) else { return nil }
            return x + y
        default: return nil
        }
    }

    /// Candidate edits that make `lhs op rhs` fail, smallest first: lower a left cell or raise a right one.
    static func breakingEdits(lhs: [(slot: Int, sign: Int)], rhs: [(slot: Int, sign: Int)], op: ComparisonOperator,
                              literal: ExactDecimal?, values: CellValues) -> [(slot: Int, value: ExactDecimal)] {
        func v(_ s: Int) -> ExactDecimal { values[s] ?? .zero }
        let left = lhs.reduce(ExactDecimal.zero) { try! $0.adding(v($1.slot)) }
        let right = try! rhs.reduce(literal ?? .zero) { try $0.adding(v($1.slot)) }
        var edits: [(Int, ExactDecimal)] = []
        switch op {
        case .greaterOrEqual, .greater:
            // Need left < right (or ≤): raise a right cell by (left − right + 1), or lower a left cell.
            let gap = try! left.subtracting(right).adding(ExactDecimal(1))
            for t in rhs { edits.append((t.slot, try! v(t.slot).adding(gap))) }
            for t in lhs where v(t.slot) >= gap { edits.append((t.slot, try! v(t.slot).subtracting(gap))) }
        case .equal:
            for t in lhs + rhs { edits.append((t.slot, try! v(t.slot).adding(ExactDecimal(1)))) }
        case .less, .lessOrEqual:
            // x < 100: set the left cell to the bound itself (plus one for ≤).
            for t in lhs { edits.append((t.slot, try! right.subtracting(left).adding(v(t.slot)).adding(op == .lessOrEqual ? ExactDecimal(1) : .zero))) }
        case .notEqual:
            break
        }
        return edits
    }

    @Test(arguments: numericForms)
    func eachRuleBrokenAloneIsReportedAlone(_ formID: String) throws {
        let form = try #require(Shipped.catalog.form(formID))
        var broken = 0
        for compiled in form.rules where compiled.rule.origin != .template {
            let rule = compiled.rule
            guard case .comparison(let l, let op, let r) = compiled.program.condition else { Issue.record("\(rule.id) not a comparison"); continue }
            // The row the rule is about decides the profile (operator rows need an operator).
            var refs: [(CellReference, isLastYear: Bool)] = []
            compiled.program.condition.collectReferencesForTest(into: &refs)
            let needsOperator = refs.contains { form.form.indicator($0.0.code)?.appliesTo == .telecomOperator }
            let profile = Self.profiles[needsOperator ? 1 : 0]
            let values = SampleSubmissions.clean(form, seed: 42, profile: profile, units: Shipped.units)
            let iterates = refs.contains { $0.0.member == nil && form.layout.membersByRow[$0.0.code] != nil }
            let member = iterates ? refs.lazy.compactMap { form.layout.membersByRow[$0.0.code] }.first?.first { $0 != "000000" } : nil
            var done = false
            // Try each column the rule is checked in: a cell may carry other rules in one column only.
            columns: for column in (rule.columns.isEmpty ? ["value"] : rule.columns) {
                guard let lhs = Self.terms(l, form: form, column: column, member: member, sign: 1),
                      let rhs = Self.terms(r, form: form, column: column, member: member, sign: 1) else {
                    Issue.record("\(rule.id) is not a sum of cells"); break
                }
                var literal: ExactDecimal?
                if case .literal(let x) = r { literal = x }
                for (slot, value) in Self.breakingEdits(lhs: lhs, rhs: rhs, op: op, literal: literal, values: values) where !value.isNegative {
                    var edited = values
                    edited[slot] = value
                    let report = form.check(edited, profile: profile)
                    let all = report.errors + report.warnings
                    guard all.count == 1, let only = all.first, only.ruleID == rule.id else { continue }
                    #expect(only.column == column)
                    #expect(only.member == member, "\(rule.id) member")
                    #expect(Set(only.cells.map(\.code)) == Set(refs.map(\.0.code)), "\(rule.id) cells")
                    #expect(only.message.contains("应"), "\(rule.id) message: \(only.message)")
                    done = true
                    break columns
                }
            }
            #expect(done, "\(formID): could not break \(rule.id) (\(rule.expr)) alone")
            if done { broken += 1 }
        }
        #expect(broken == form.form.rules.count)
    }
}

extension RuleCondition {
    func collectReferencesForTest(into list: inout [(CellReference, isLastYear: Bool)]) {
        guard case .comparison(let a, _, let b) = self else { return }
        func visit(_ e: RuleExpression) {
            switch e {
            case .cell(let r): list.append((r, false))
            case .binary(_, let x, let y): visit(x); visit(y)
            case .function(_, let args): args.forEach(visit)
            case .negate(let x): visit(x)
            default: break
            }
        }
        visit(a)
        visit(b)
    }
}
