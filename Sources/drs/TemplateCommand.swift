import ArgumentParser
import DRSCore

/// `drs template FORM --format json`: a blank submission of a form.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "输出某张表的空白报表（JSON），供填写后用 drs validate 审核。",
        discussion: "例：drs template P2 --year 2025 > p2.json"
    )

    @OptionGroup var options: CatalogOptions

    @Argument(help: "表号：P1–P5（公共1–5表）、E1–E7（企业1–7表）、I1（行业1表）。")
    var form: String

    @Option(help: "输出格式：json。")
    var format: String = "json"

    @Option(help: "填报单位的统一社会信用代码（可选）。")
    var unit: String = ""

    func run() throws {
        guard format == "json" else { throw ValidationError("不支持的格式「\(format)」：目前只有 json（xlsx 模板见数据交换功能）。") }
        let catalog = try options.compiled()
        guard let compiled = catalog.form(form.uppercased()) else {
            throw ValidationError("未知的表「\(form)」。可用：\(catalog.catalog.forms.map(\.id).joined(separator: "、"))")
        }
        let year = options.year ?? catalog.catalog.survey.reportingYears.from
        print(SubmissionTemplate.blank(compiled, year: year, unit: unit).serialized(pretty: true))
    }
}
