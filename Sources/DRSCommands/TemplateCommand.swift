import ArgumentParser
import DRSCore
import DRSExchange
import Foundation

/// `drs template FORM --format json`: a blank submission of a form.
public struct TemplateCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "输出某张表的空白报表：JSON（供 drs validate 审核），或官方表式的 Excel 模板（xlsx，可填写后上传或 drs import）。",
        discussion: "例：drs template P2 --year 2025 > p2.json\n    drs template E2 --format xlsx --year 2026 --output 企业2表.xlsx"
    )

    @OptionGroup var options: CatalogOptions

    @Argument(help: "表号：P1–P5（公共1–5表）、E1–E7（企业1–7表）、I1（行业1表）。")
    var form: String

    @Option(help: "输出格式：json、xlsx。")
    var format: String = "json"

    @Option(help: "xlsx 的输出文件（默认为模板的建议文件名）。")
    var output: String?

    @Option(help: "填报单位的统一社会信用代码（可选）。")
    var unit: String = ""

    public func run() throws {
        guard format == "json" || format == "xlsx" else { throw ValidationError("不支持的格式「\(format)」：json 或 xlsx。") }
        let catalog = try options.compiled()
        guard let compiled = catalog.form(form.uppercased()) else {
            throw ValidationError("未知的表「\(form)」。可用：\(catalog.catalog.forms.map(\.id).joined(separator: "、"))")
        }
        let year = options.year ?? catalog.catalog.survey.reportingYears.from
        if format == "xlsx" {
            let template = FormTemplate(form: compiled, catalog: catalog, creditCode: unit.isEmpty ? nil : unit.uppercased(), year: options.year)
            let path = output ?? template.suggestedFileName
            try Data(try template.bytes(created: ISO8601DateFormatter().string(from: Date()))).write(to: URL(fileURLWithPath: path))
            print("已写出 \(path)")
            return
        }
        print(SubmissionTemplate.blank(compiled, year: year, unit: unit).serialized(pretty: true))
    }
}
