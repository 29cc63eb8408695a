import ArgumentParser
import DRSCore
import DRSExchange
import DRSOffice
import DRSStorage
import Foundation

/// `drs sdmx structure|data`: the survey's SDMX structure, and aggregates as SDMX data messages.
public struct SDMXCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(commandName: "sdmx", abstract: "SDMX：由目录生成的数据结构定义，以及汇总数据消息（SDMX-ML 2.1 / SDMX-JSON）。",
                                                    subcommands: [Structure.self, DataMessage.self])

    public struct Structure: ParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(commandName: "structure", abstract: "输出 SDMX-ML 2.1 结构消息（代码表、概念、DSD、数据流）。")
        @OptionGroup var options: CatalogOptions
        public func run() throws {
            print(SDMXStructure(try options.compiled().catalog).xml(prepared: ISO8601DateFormatter().string(from: Date())), terminator: "")
        }
    }

    public struct DataMessage: AsyncParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(commandName: "data", abstract: "某年某表的汇总（同 drs aggregate）写成 SDMX 数据消息。")
        @OptionGroup var storage: StorageOptions
        @Option(help: "数据年度。") var year: Int
        @Option(help: "报表。") var form: String
        @Option(help: "分组，逗号分隔：province、type、industry。") var by = ""
        @Option(help: "纳入的状态（默认 verified）。") var status = "verified"
        @Option(help: "格式：xml（StructureSpecific）、json（SDMX-JSON）。") var format = "xml"
        @OptionGroup var protection: AggregateProtectionOptions

        public func run() async throws {
            let dims = by.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let statuses = try statusOption(status)
            guard ["xml", "json"].contains(format) else { throw ValidationError("不支持的格式「\(format)」，可用：xml、json") }
            let reports: [AggregateReport]
            do {
                reports = try await OfficeTasks.aggregate(storage: StorageLocation(storage.database), catalogRoot: try storage.root(), year: year,
                                                         forms: [form.uppercased()], by: dims, statuses: statuses,
                                                         protection: try protection.protection(), maker: commandMaker("drs sdmx data"),
                                                         progress: AggregateProtectionOptions.report)
            } catch let error as ReleaseRefused {
                throw ValidationError(error.message)
            }
            guard let report = reports.first else { throw ValidationError("没有可输出的报表") }
            let suppression = report.suppression
            // The aggregate's groupings are the national total and the breakdown: a group's key length tells which.
            let data = SDMXData(structure: SDMXStructure(report.catalog.catalog), form: report.form, table: report.table, year: year) { group, slot in
                suppression?.confidentialityStatus(group.key.isEmpty ? [] : dims, group.key, slot) ?? "F"
            }
            let id = "DRS_\(report.form.form.id)_\(year)", prepared = ISO8601DateFormatter().string(from: Date())
            print(format == "json" ? data.json(id: id, prepared: prepared).serialized() : data.structureSpecificXML(id: id, prepared: prepared), terminator: "")
        }
    }
}
