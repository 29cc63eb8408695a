import ArgumentParser
import DRSCommands
import DRSServer

/// `drs` — 数据资源调查平台的命令行. The commands live in DRSCommands, which does not link the web
/// server; this executable adds `drs serve` and `drs bench http`, the two that run it, and lends the
/// commands bcrypt (`CommandServices`).
@main
struct DRSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drs",
        abstract: "数据资源调查平台 (drs) — 全国数据资源统计调查的目录、审核与基准测试",
        discussion: """
        调查目录（表、指标、栏目、审核关系、计量单位、代码表）是数据，按制度版本存放在 catalog/<版本>/ 下。
        The survey catalog is data under catalog/<edition>/; every command reads it at run time.
        """,
        subcommands: [CatalogCommand.self, TemplateCommand.self, ValidateCommand.self, ServeCommand.self, UsersCommand.self, UnitsCommand.self, AggregateCommand.self, ImportCommand.self, ExportCommand.self, SDMXCommand.self, ShareCommand.self, ReleasesCommand.self, SDCCommand.self, ReportCommand.self, BenchCommand.self, DemoCommand.self, BackupCommand.self, RestoreCommand.self, MigrateDatabaseCommand.self, TalliesCommand.self]
    )

    /// Swift concurrency runs on NIO's event loops: an async route handler then continues on the loop
    /// that read its request instead of hopping to a separate executor thread and back (on two
    /// cores those hand-offs cost more than the work). Must happen before any task is started.
    static func main() async {
        ServerRuntime.runConcurrencyOnEventLoops()
        CommandServices.install { try WebServer.hashPassword($0) }
        await main(nil)
    }
}
