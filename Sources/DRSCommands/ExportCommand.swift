import ArgumentParser
import DRSCatalog
import DRSCore
import DRSOffice
import DRSStorage
import Foundation

/// `drs export`: unit-level data of a form and year, streamed to a file.
public struct ExportCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出某年某表的单位数据（每个单位一行，所有单元格一列），CSV 或 XLSX，流式写出，行数不限。",
        discussion: "单位数据只供国家数据局授权人员使用（统计法第二十八条）。例：drs export --year 2026 --form E2 --format xlsx --output e2.xlsx"
    )
    @OptionGroup var storage: StorageOptions
    @Option(help: "数据年度。") var year: Int
    @Option(help: "报表，如 E2；不给则导出全年每张数值表，每表一个文件（--output 为文件夹）。") var form: String?
    @Option(help: "纳入的状态，逗号分隔（默认 submitted,approved,verified）。") var status = "submitted,approved,verified"
    @Option(help: "输出格式：csv、xlsx。") var format = "csv"
    @Option(help: "输出文件（不给 --form 时为文件夹）。") var output: String

    public func run() async throws {
        let statuses = try statusOption(status)
        guard ["csv", "xlsx"].contains(format) else { throw ValidationError("不支持的格式「\(format)」，可用：csv、xlsx") }
        var targets: [(form: String, path: String)]
        if let form {
            targets = [(form.uppercased(), output)]
        } else {
            let catalog = try CompiledCatalog(try CatalogLoader.load(root: try storage.root()))
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            targets = catalog.orderedForms.filter { $0.form.kind != .basicInfo }.map {
                ($0.form.id, (output as NSString).appendingPathComponent("\($0.form.tableNumber)-\(year).\(format)"))
            }
        }
        for target in targets {
            _ = FileManager.default.createFile(atPath: target.path, contents: nil)
            guard let handle = FileHandle(forWritingAtPath: target.path) else { throw ValidationError("无法写入 \(target.path)") }
            defer { try? handle.close() }
            let file = SendableHandle(handle: handle)
            do {
                let rows = try await OfficeTasks.export(storage: StorageLocation(storage.database), catalogRoot: try storage.root(), year: year,
                                                       formID: target.form, statuses: statuses, format: format,
                                                       emit: { bytes in try file.handle.write(contentsOf: bytes) })
                printError("已导出 \(rows) 行 → \(target.path)")
            } catch let failure as OfficeTasks.Failure {
                throw ValidationError(failure.description)
            }
        }
    }
}

struct SendableHandle: @unchecked Sendable { let handle: FileHandle }
