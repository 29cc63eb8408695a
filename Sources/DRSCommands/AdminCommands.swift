import ArgumentParser
import DRSCatalog
import DRSOffice
import DRSStorage
import Foundation

struct StorageOptions: ParsableArguments {
    @Option(help: "数据库：SQLite 文件路径（默认 drs.sqlite）或 postgres://…") var database = "drs.sqlite"
    @Option(help: "调查目录所在文件夹。") var catalog: String?

    func root() throws -> URL {
        guard let root = CatalogLoader.locateRoot(explicit: catalog) else { throw ValidationError("找不到调查目录。") }
        return root
    }
}

/// A `--status` option: comma-separated statuses, every one known.
func statusOption(_ text: String) throws -> Set<SubmissionStatus> {
    let (statuses, unknown) = SubmissionStatus.list(text)
    if let bad = unknown.first { throw ValidationError("未知的状态「\(bad)」，可用：\(SubmissionStatus.allCases.map(\.rawValue).joined(separator: "、"))") }
    return statuses
}

/// `drs users add …`: accounts, starting with the first administrator.
public struct UsersCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(commandName: "users", abstract: "管理账户。", subcommands: [Add.self, Password.self])

    /// `drs users password NAME`: an administrator's reset; every session of the account ends.
    public struct Password: AsyncParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(abstract: "重置账户密码（下次登录须修改；该账户的所有会话随即失效）。",
                                                        discussion: "SQLite 数据库须先停止 drs serve。例：drs users password beijing-data")
        @OptionGroup var storage: StorageOptions
        @Argument(help: "用户名。") var username: String
        @Option(help: "新密码（至少10位，不含用户名，不是常见密码；不给则随机生成并打印）。") var password: String?

        public func run() async throws {
            do {
                let new = try await OfficeTasks.resetPassword(storage: StorageLocation(storage.database), catalogRoot: try storage.root(),
                                                             username: username, password: password, hash: CommandServices.hashPassword)
                print("已重置账户 \(username) 的密码：\(new)（下次登录须修改）")
            } catch let failure as OfficeTasks.Failure {
                throw ValidationError(failure.description)
            }
        }
    }

    public struct Add: AsyncParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(abstract: "新增账户（首次登录须修改密码）。",
                                                        discussion: "例：drs users add admin --role admin --name 国家数据局管理员")
        @OptionGroup var storage: StorageOptions
        @Argument(help: "用户名。") var username: String
        @Option(help: "角色：respondent、provincialReviewer、headquartersReviewer、association、publicSecurity、admin。") var role: String
        @Option(help: "显示名。") var name: String?
        @Option(help: "所属单位的统一社会信用代码（填报人、集团总部、协会、公安）。") var unit: String?
        @Option(help: "省级审核员所辖省份的区划代码，如 110000。") var region: String?
        @Option(help: "初始密码（至少10位，不含用户名，不是常见密码；不给则随机生成并打印）。") var password: String?

        public func run() async throws {
            do {
                let initial = try await OfficeTasks.addUser(storage: StorageLocation(storage.database), username: username, role: role,
                                                           name: name, unitCreditCode: unit, region: region, password: password,
                                                           hash: CommandServices.hashPassword)
                print("已新增账户 \(username)。初始密码：\(initial)（首次登录须修改）")
            } catch let failure as OfficeTasks.Failure {
                throw ValidationError(failure.description)
            }
        }
    }
}

/// `drs units import FILE.csv`: the unit registry in bulk.
public struct UnitsCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(commandName: "units", abstract: "管理调查单位名录库。", subcommands: [Import.self, Export.self])

    public struct Export: AsyncParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(
            abstract: "导出调查单位名录库（CSV，表头与 drs units import 相同，可原样再导入）；仅限国家调查机构使用。"
        )
        @OptionGroup var storage: StorageOptions
        @Option(help: "输出文件（不给则写到标准输出）。") var output: String?

        public func run() async throws {
            let text = try await OfficeTasks.exportUnits(storage: StorageLocation(storage.database), catalogRoot: try storage.root())
            if let output { try Data(("\u{FEFF}" + text).utf8).write(to: URL(fileURLWithPath: output)) } else { print(text, terminator: "") }
        }
    }

    public struct Import: AsyncParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(
            abstract: "从 CSV 批量导入调查单位；逐行审核，被拒的行不改变任何数据，并报告原因。",
            discussion: "表头：统一社会信用代码,单位详细名称,区划代码,详细地址,调查对象类型,国有企业,互联网平台企业,运营商企业,上级单位信用代码,联系电话（类型可写中文名，多个用、分隔；标志填 是/否）。退出码：0 全部导入；1 有被拒的行。"
        )
        @OptionGroup var storage: StorageOptions
        @Argument(help: "CSV 文件（UTF-8）。") var file: String

        public func run() async throws {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("无法读取文件 \(file)（应为 UTF-8 编码的 CSV）")
            }
            let result = try await OfficeTasks.importUnitsCSV(storage: StorageLocation(storage.database), catalogRoot: try storage.root(), text: text)
            print("导入 \(result.imported) 个单位，拒绝 \(result.rejected.count) 行。")
            for line in result.rejected { print("  ✗ \(line)") }
            if !result.rejected.isEmpty { throw ExitCode(1) }
        }
    }
}
