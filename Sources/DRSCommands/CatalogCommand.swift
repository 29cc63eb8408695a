import ArgumentParser
import DRSCatalog
import DRSCore
import Foundation

/// `drs catalog list|show|export`: the survey catalog.
public struct CatalogCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "查看调查目录：表、指标、审核关系。",
        subcommands: [List.self, Show.self, Export.self, Import.self]
    )

    public struct List: ParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(abstract: "列出全部调查表及其指标数、审核关系数。")
        @OptionGroup var options: CatalogOptions

        public func run() throws {
            let compiled = try options.compiled()
            let survey = compiled.catalog.survey
            print("\(survey.title)（\(survey.approvalNumber)，有效期至\(survey.validUntil)）　适用调查年份 \(survey.reportingYears.from)–\(survey.reportingYears.to)")
            print("")
            var rows: [[String]] = []
            for form in compiled.orderedForms {
                let f = form.form
                let size = f.kind == .basicInfo ? "\(f.allItems.count)项" : "\(f.allIndicators.count)"
                let printed = f.rules.filter { $0.origin == .printed }.count
                let implied = f.rules.filter { $0.origin == .implied }.count
                let derived = form.rules.filter { $0.rule.origin == .template }.count
                let kind = ["basicInfo": "基本情况", "indicators": "指标", "grid": "分组表"][f.kind.rawValue] ?? f.kind.rawValue
                rows.append([f.id, f.tableNumber, f.title, kind, size, String(printed), String(implied), String(derived),
                             f.source.rebuilt ? "是" : ""])
            }
            print(TextLayout.table(["表", "表号", "表名", "类型", "指标数", "审核关系", "隐含规则", "派生检查", "含重建页"], rows,
                                   rightAligned: [4, 5, 6, 7]))
            let printedTotal = compiled.catalog.forms.reduce(0) { $0 + $1.rules.filter { $0.origin == .printed }.count }
            print("")
            print("共 \(compiled.catalog.forms.count) 张表，印制审核关系 \(printedTotal) 条。派生检查：非负、占比≤100%、计数为整数、同比变化、上年同期一致（由 survey.json 的规则模板按行展开）。")
        }
    }

    public struct Show: ParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(abstract: "按官方表式显示一张表（指标、计量单位、代码、栏目、填报说明、审核关系）。",
                                                        discussion: "例：drs catalog show E2")
        @OptionGroup var options: CatalogOptions
        @Argument(help: "表号，如 P2、E2、E4。") var form: String
        @Flag(help: "同时显示每个指标的解释。") var definitions = false

        public func run() throws {
            let compiled = try options.compiled()
            guard let f = compiled.form(form.uppercased()) else {
                throw ValidationError("未知的表「\(form)」。可用：\(compiled.catalog.forms.map(\.id).joined(separator: "、"))")
            }
            print(OfficialTable.render(f, catalog: compiled.catalog, definitions: definitions))
        }
    }

    public struct Export: ParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(abstract: "导出整个调查目录（JSON）：表、指标、审核关系（含表达式、栏目、级别与原文）、代码表、附录名单。")
        @OptionGroup var options: CatalogOptions
        @Option(help: "输出格式：json。") var format: String = "json"

        public func run() throws {
            guard format == "json" else { throw ValidationError("不支持的格式「\(format)」：目前只有 json。") }
            let catalog = try options.compiled().catalog
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(CatalogExport(catalog)))
            print("")
        }
    }

    public struct Import: ParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(
            abstract: "导入整个调查目录（drs catalog export 的 JSON）：完整校验后写成一个目录版本（<目录>/<版本>/），全部成功或什么也不写。",
            discussion: "例：drs catalog import survey-2027.json --catalog ./catalog   # 新一年的制度只需一个目录文件，不需改代码"
        )
        @Argument(help: "导出的目录 JSON 文件。") var file: String
        @Option(help: "目录所在文件夹（默认 ./catalog 或已找到的目录）。") var catalog: String?
        @Flag(help: "覆盖已存在的同一版本。") var replace = false

        public func run() throws {
            guard let root = catalog.map({ URL(fileURLWithPath: $0) }) ?? CatalogLoader.locateRoot(explicit: nil) else {
                throw ValidationError("找不到目录文件夹，请用 --catalog 指定。")
            }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw ValidationError("无法读取 \(file)") }
            do {
                let result = try CatalogImport.run(data, into: root, replace: replace)
                print("已导入目录版本 \(result.edition)：\(result.forms) 张表，\(result.rules) 条审核规则（含由规则模板派生的检查）→ \(result.directory.path)")
            } catch let error as CatalogFileError {
                throw ValidationError(error.description)
            }
        }
    }
}
