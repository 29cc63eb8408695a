import ArgumentParser
import DRSCore
import DRSDisclosure
import DRSServer
import DRSSolverCLP

/// `--protect` and `--rules` of the commands that publish aggregates (`drs aggregate`,
/// `drs sdmx data`): disclosure control (统计法第二十八条) from the unit-level data of the chosen year,
/// form and breakdown. The rules go to standard error only: their parameters must not be published,
/// so no output file names them.
struct AggregateProtectionOptions: ParsableArguments {
    @Flag(help: "按保密规则处理后再输出（对外公布、报送用）：敏感单元格（一次隐藏）及补充隐藏的单元格不给数值。") var protect = false
    @Option(help: "保密规则（同 drs sdc，默认 P(10,1)|FREQ(3,10)）；只写入标准错误，不写入输出文件。") var rules = SafetyRules.standard.description

    /// The protection run for `AdminTasks.aggregate`, nil without `--protect`.
    func protector(by: [String]) throws -> (@Sendable (AggregateInputs.Input, AggregateTable) throws -> AggregateSuppression)? {
        guard protect else {
            if rules != SafetyRules.standard.description { throw ValidationError("--rules 须与 --protect 同用") }
            return nil
        }
        let parsed: SafetyRules
        do { parsed = try SafetyRules.parse(rules) } catch { throw ValidationError(error.message) }
        printError("保密处理：规则 \(parsed.description)（参数不写入输出文件）")
        let protection = AggregateProtection(suppression: SecondarySuppression(solver: CLPSolver()), rules: parsed)
        return { input, table in
            let units = zip(input.records.indices, input.records).map { index, record in
                AggregateProtection.Unit(record: record, holding: index < input.holdings.count ? input.holdings[index] : nil)
            }
            let disclosure: AggregateDisclosure
            do {
                disclosure = try protection.protect(table, form: input.form, units: units, by: by)
            } catch let error as TableBuildError {
                throw ValidationError("\(input.form.form.tableNumber)：保密处理失败：\(error.message)")
            }
            printError("保密处理：\(input.form.form.tableNumber) 一次隐藏 \(disclosure.primaryCount) 格、二次隐藏 \(disclosure.secondaryCount) 格（含各级合计）")
            return AggregateSuppression { grouping, key, slot in
                switch disclosure.status(slot: slot, grouping: grouping, key: key) {
                case .primary: .primary
                case .secondary: .secondary
                case .safe, .empty: nil
                }
            }
        }
    }
}
