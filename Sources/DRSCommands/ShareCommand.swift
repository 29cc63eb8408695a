import ArgumentParser
import DRSDisclosure
import DRSOffice
import DRSStorage
import Foundation

extension ReleaseDestination: ExpressibleByArgument {}

/// `drs share`: the annual package for the statistics bureau (附录七、八), for an explicit destination.
public struct ShareCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "统计信息共享：生成向国家统计局及统计信息共享数据库提供的年度统计资料包（全国与分地区，按数据供给、流通、应用、安全分主题，含清单）。",
        discussion: """
        去向必须明确给出，并记入审计日志与发布记录（drs releases list）：
          --destination nbs     国家统计局（依法可获得未经保密处理的数据）：不作保密处理；
          --destination public  对外公布或其他接收方：按保密规则处理，经攻击者审计通过后才写出。
        例：drs share --year 2026 --destination nbs --output share-2026 --database …
        """
    )
    @OptionGroup var storage: StorageOptions
    @Option(help: "数据年度。") var year: Int
    @Option(help: "去向（必填，无默认）：nbs 国家统计局（不作保密处理）、public 对外公布（按保密规则处理）。") var destination: ReleaseDestination
    @Option(help: "纳入的状态（默认 verified 已核定）。") var status = "verified"
    @Option(help: "输出文件夹。") var output: String
    @Option(help: "保密规则（仅用于 --destination public；同 drs sdc，默认 P(10,1)|FREQ(3,10)）；只写入标准错误，资料包与发布记录只留其指纹。")
    var rules = SafetyRules.standard.description

    public func run() async throws {
        let statuses = try statusOption(status)
        if destination == .nbs, rules != SafetyRules.standard.description {
            throw ValidationError("--rules 只用于 --destination public（去国家统计局的资料包不作保密处理）")
        }
        let parsed: SafetyRules
        do { parsed = try SafetyRules.parse(rules) } catch { throw ValidationError(error.message) }
        if destination == .public { printError("保密处理：规则 \(parsed.description)（参数不写入资料包）") }
        let result: SharingPackage.Result
        do {
            result = try await OfficeTasks.share(storage: StorageLocation(storage.database), catalogRoot: try storage.root(), year: year,
                                                statuses: statuses, directory: URL(fileURLWithPath: output), destination: destination,
                                                protection: ReleaseProtection(rules: parsed), maker: commandMaker("drs share"))
        } catch let error as ReleaseRefused {
            throw ValidationError(error.message)
        }
        print("已生成统计资料包：\(result.directory.path)（去向：\(destination.chineseName)；\(result.files.count) 个文件，\(result.observations) 个汇总数"
            + (destination == .public ? "，其中 \(result.suppressedCells) 个不予公布" : "") + "）")
        for file in result.files { print("  \(file)") }
    }
}
