import ArgumentParser
import DRSCatalog
import DRSBench
import DRSCommands
import DRSWorkflow
import Foundation

/// `drs bench …`: measured throughput, printed as JSON lines for side-by-side comparison.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "基准测试（请使用 release 构建：swift build -c release）。",
        subcommands: [BenchValidate.self, BenchAggregate.self, BenchExport.self, BenchHTTP.self, BenchDeadline.self]
    )
}

/// `drs bench http`: draft saves and form pages under 64 connections on loopback.
struct BenchHTTP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "网页服务压测：64个连接在本机回环上连续保存草稿、打开填报页，报告吞吐与 p99 延迟（SQLite）。"
    )
    @OptionGroup var options: CatalogOptions
    @Option(help: "并发连接数。") var connections = 64
    @Option(help: "每项测试的秒数。") var seconds: Double = 10
    @Option(help: "本机端口。") var port = 18_090
    @Option(help: "只准备数据并提供服务，把各连接的会话写入此文件，供外部压测工具（tools/bench/http-wrk.sh）使用。") var hold: String?

    func run() async throws {
        #if DEBUG
        printError("注意：这是 debug 构建，数字没有参考意义。")
        #endif
        guard let root = CatalogLoader.locateRoot(explicit: options.catalog) else { throw ValidationError("找不到调查目录。") }
        for line in try await HTTPBench.run(connections: connections, seconds: seconds, port: port, catalogRoot: root, holdFile: hold) {
            print(line)
        }
    }
}

/// `drs bench deadline`: the deadline week against running instances of `drs serve` (docs/benchmarks.md (o)).
struct BenchDeadline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadline",
        abstract: "截止周压测：模拟全国数据上，填报人反复保存草稿并提交、审核员查看队列并退回、国家数据局连续汇总；可中途终止一个实例；结束后逐一核对已确认的保存。",
        discussion: """
            先生成模拟全国数据：drs demo nation --units 100000 --database postgres://… --accounts --password demo2026-nation
            例：drs bench deadline --database postgres://… --instances 2 --seconds 600 --rate 1000 --kill-after 300 --password demo2026-nation
            输出每类请求的吞吐、p50/p99 延迟（从请求应发出的时刻算起）、4xx/5xx 与无应答数，每段（--window 秒）一行同样的数字，
            各实例的内存峰值，以及核对结果；
            有已确认的保存丢失时退出码为 1。
            """
    )
    @OptionGroup var options: CatalogOptions
    @Option(help: "数据库（同 drs serve --database）：SQLite 文件或 postgres://…，其中须有 drs demo nation --accounts 生成的数据。") var database: String
    @Option(help: "本压测启动的 drs serve 实例数（SQLite 只能 1 个）。") var instances = 1
    @Option(help: "改为压测已在运行的实例：逗号分隔的地址，如 http://127.0.0.1:8080（此时不启动、不终止实例）。") var targets: String?
    @Option(help: "压测秒数。") var seconds: Double = 60
    @Option(help: "正式计时前的预热秒数（照常施压，不计入任何结果；刚启动的实例先读满缓存、首次计算各表汇总）。") var warmUp: Double = 0
    @Option(help: "目标请求速率（次/秒，不含国家汇总）。") var rate: Double = 1000
    @Option(help: "并发连接数。") var connections = 64
    @Option(help: "参与的填报单位数（取本年度草稿或退回的表）。") var filers = 1000
    @Option(help: "开始后多少秒用 SIGKILL 终止最后一个实例（至少 2 个实例时）。") var killAfter: Double?
    @Option(help: "逐段报告的时长（秒）：每段一行吞吐、p50/p99、5xx 与无应答数，看出终止实例、汇总或机器变慢发生在哪一段。") var window: Double = 60
    @Flag(inversion: .prefixedNo, help: "国家数据局是否在压测期间连续汇总（一次一张表，不停）。") var aggregate = true
    @Option(help: "国家汇总的状态，逗号分隔（默认 verified：各实例保留汇总结果，直到听到已核定数据的变更；如 submitted,approved,verified 则每次重算）。")
    var aggregateStatus = "verified"
    @Option(help: "第一个实例的端口（其余依次加 1）。") var port = 18_200
    @Option(help: "模拟全国数据账户（admin、review-<区划>）的密码。") var password: String

    func run() async throws {
        #if DEBUG
        printError("注意：这是 debug 构建，数字没有参考意义。")
        #endif
        guard let root = CatalogLoader.locateRoot(explicit: options.catalog) else { throw ValidationError("找不到调查目录。") }
        let list = (targets ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard instances >= 1, seconds > 0, warmUp >= 0, rate > 0, connections >= 1, filers >= 1, window > 0 else {
            throw ValidationError("实例数、秒数、速率、连接数、填报单位数、分段秒数须为正数，预热秒数不能为负。")
        }
        // Times become whole milliseconds and durations: an infinite or absurd one would trap there.
        let week = 7 * 86_400.0
        guard [seconds, warmUp, window, killAfter ?? 0].allSatisfy({ $0.isFinite && abs($0) <= week }),
              rate.isFinite, rate <= 1_000_000, instances <= 64, connections <= 10_000 else {
            throw ValidationError("秒数、预热秒数、分段秒数与终止时刻不超过 604800（一周），速率不超过 1000000 次/秒，实例数不超过 64，连接数不超过 10000。")
        }
        let (statuses, unknown) = SubmissionStatus.list(aggregateStatus)
        guard unknown.isEmpty, !statuses.isEmpty, !statuses.contains(.notStarted) else {
            throw ValidationError("未知的汇总状态「\(unknown.first ?? aggregateStatus)」：可用 draft、submitted、returned、approved、verified。")
        }
        if !database.hasPrefix("postgres"), instances > 1, list.isEmpty { throw ValidationError("SQLite 只能由一个实例提供服务：多实例请用 PostgreSQL。") }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let bench = DeadlineOptions(database: database, instances: instances, targets: list, warmUp: warmUp, seconds: seconds, rate: rate, connections: connections,
                                    filers: filers, killAfter: killAfter, window: window, aggregate: aggregate,
                                    aggregateStatuses: statuses.map(\.rawValue).sorted().joined(separator: ","), port: port, password: password, catalogRoot: root, executable: executable)
        let (lines, clean) = try await DeadlineBench.run(bench) { printError($0) }
        for line in lines { print(line) }
        if !clean { throw ExitCode(1) }
    }
}
