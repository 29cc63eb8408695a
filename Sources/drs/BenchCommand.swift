import ArgumentParser
import DRSCatalog
import DRSBench
import DRSCommands
import Foundation

/// `drs bench …`: measured throughput, printed as JSON lines for side-by-side comparison.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "基准测试（请使用 release 构建：swift build -c release）。",
        subcommands: [BenchValidate.self, BenchAggregate.self, BenchExport.self, BenchHTTP.self]
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
