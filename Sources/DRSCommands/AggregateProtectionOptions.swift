import ArgumentParser
import DRSDisclosure
import DRSOffice
import Foundation

/// `--protect` and `--rules` of the commands that publish aggregates (`drs aggregate`,
/// `drs sdmx data`): disclosure control (统计法第二十八条) from the unit-level data of the chosen year,
/// form and breakdown, audited and recorded as a release. The rules go to standard error only: their
/// parameters must not be published, so no output file names them (the release keeps their fingerprint).
struct AggregateProtectionOptions: ParsableArguments {
    @Flag(help: "按保密规则处理后再输出（对外公布、报送用）：敏感单元格（一次隐藏）及补充隐藏的单元格不给数值；经攻击者审计后记入发布记录（drs releases list）。") var protect = false
    @Option(help: "保密规则（同 drs sdc，默认 P(10,1)|FREQ(3,10)）；只写入标准错误，不写入输出文件。") var rules = SafetyRules.standard.description

    /// The protection run for `OfficeTasks.aggregate`, nil without `--protect`.
    func protection() throws -> ReleaseProtection? {
        guard protect else {
            if rules != SafetyRules.standard.description { throw ValidationError("--rules 须与 --protect 同用") }
            return nil
        }
        let parsed: SafetyRules
        do { parsed = try SafetyRules.parse(rules) } catch { throw ValidationError(error.message) }
        printError("保密处理：规则 \(parsed.description)（参数不写入输出文件）")
        return ReleaseProtection(rules: parsed)
    }

    /// What a protected run reports per form on standard error.
    static func report(_ report: AggregateReport, _ release: ProtectedRelease) {
        printError("保密处理：\(report.form.form.tableNumber) 一次隐藏 \(release.summary.primary) 格、二次隐藏 \(release.summary.secondary) 格（含各级合计），攻击者审计通过")
    }
}

/// Who runs a command that releases data: the command and the operating-system account.
func commandMaker(_ command: String) -> ReleaseRecords.Maker {
    ReleaseRecords.Maker(username: "\(command)（\(NSUserName())）")
}
