import ArgumentParser
import DRSCore
import DRSOffice
import DRSStorage
import Foundation

/// `drs aggregate`: national totals of a form from the database, by the chosen dimensions.
public struct AggregateCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "汇总：某年某表的全国合计及按省份、调查对象类型、行业门类的分组合计（含各单元格的单位数）。",
        discussion: """
        求和类指标直接相加；占比、平均类指标按目录中的权数加权平均重新计算；覆盖范围类指标不汇总。
        例：drs aggregate --year 2025 --form P2 --by province,type --format csv > p2-2025.csv
        对外公布时加 --protect：按保密规则隐藏的数值写作 x，表下加注。
        """
    )
    @OptionGroup var storage: StorageOptions
    @Option(help: "数据年度。") var year: Int
    @Option(help: "报表，如 P2、E2（不给则汇总全部可汇总的报表）。") var form: String?
    @Option(help: "分组，逗号分隔：province、type、industry；不给为全国合计。") var by: String = ""
    @Option(help: "纳入的状态，逗号分隔（默认 verified 已核定）。") var status: String = "verified"
    @Option(help: "输出格式：json、csv、xlsx。") var format: String = "json"
    @Option(help: "输出文件（xlsx 必须给出；不给则 json/csv 写到标准输出）。") var output: String?
    @OptionGroup var protection: AggregateProtectionOptions

    public func run() async throws {
        let dimensions = by.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for d in dimensions where !AggregateInputs.dimensions.contains(d) {
            throw ValidationError("未知的分组「\(d)」，可用：province、type、industry")
        }
        let statuses = try statusOption(status)
        guard ["json", "csv", "xlsx"].contains(format) else { throw ValidationError("不支持的格式「\(format)」，可用：json、csv、xlsx") }
        if format == "xlsx", output == nil { throw ValidationError("xlsx 格式须用 --output 指定文件") }
        let reports: [AggregateReport]
        do {
            reports = try await OfficeTasks.aggregate(storage: StorageLocation(storage.database), catalogRoot: try storage.root(), year: year,
                                                     forms: form.map { [$0.uppercased()] }, by: dimensions, statuses: statuses,
                                                     protection: try protection.protection(), maker: commandMaker("drs aggregate"),
                                                     progress: AggregateProtectionOptions.report)
        } catch let error as AggregateError {
            throw ValidationError(error.message)
        } catch let error as ReleaseRefused {
            throw ValidationError(error.message)
        }
        var bytes: [UInt8]
        switch format {
        case "csv": bytes = Array(reports.map { $0.csv() }.joined().utf8)
        case "xlsx": bytes = try AggregateReport.workbook(reports)
        default: bytes = Array((reports.count == 1 ? reports[0].json : JSONValue.array(reports.map(\.json))).serialized().utf8) + [10]
        }
        if let output {
            try Data(bytes).write(to: URL(fileURLWithPath: output))
            printError("已写入 \(output)（\(reports.count) 张表）")
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}
