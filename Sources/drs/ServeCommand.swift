import ArgumentParser
import DRSCatalog
import DRSDisclosure
import DRSServer
import DRSStorage
import Foundation

/// `drs serve`: the platform as a web server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "启动数据资源调查平台（网页与 /api/v1 接口）。",
        discussion: """
        默认使用 SQLite 文件 drs.sqlite；--database postgres://用户@主机:端口/库名 使用 PostgreSQL。启动时自动迁移数据库结构。
        --demo 创建演示单位、演示账户与上年核定数据（账户在启动时打印）。
        在反向代理（终止 TLS）之后运行时：--secure-cookies --hsts --trusted-proxy 代理地址。
        """
    )

    @Option(help: "监听地址。") var hostname = "127.0.0.1"
    @Option(help: "端口。") var port = 8080
    @Option(help: "数据库：SQLite 文件路径（默认 drs.sqlite）、memory，或 postgres://…") var database = "drs.sqlite"
    @Flag(help: "创建演示数据与演示账户。") var demo = false
    @Option(help: "填报页面的调查年度（默认为目录适用的第一个年度）。") var year: Int?
    @Option(help: "调查目录所在文件夹。") var catalog: String?
    @Flag(help: "经 HTTPS 提供服务（由前置代理终止 TLS）：会话 Cookie 标记 Secure。") var secureCookies = false
    @Flag(help: "发送 Strict-Transport-Security 头（仅在经 HTTPS 提供服务时使用；同时标记 Secure Cookie）。") var hsts = false
    @Option(help: "可信的反向代理地址（逗号分隔的 IP）：只采信它们转发的 X-Forwarded-For，如 127.0.0.1。")
    var trustedProxy: String = ""
    @Option(help: "接口 protect=1（对外公布版汇总、SDMX）所用的保密规则（同 drs sdc，默认 P(10,1)|FREQ(3,10)）；只由服务器配置，请求不能更改。")
    var safetyRules = SafetyRules.standard.description
    @Option(help: "/metrics 要求的令牌（Authorization: Bearer …；也可用环境变量 DRS_METRICS_TOKEN）。不设时只回答本机的直接请求。")
    var metricsToken: String?
    @Option(help: "导入任务与催报发送的租约（秒）：处理它的实例每三分之一租约续租一次；实例停止或被终止、停止续租这么久后，由其他实例接手。")
    var importLeaseSeconds: Int = Int(ServerOptions.defaultJobLease)
    @Option(help: "核查清单：上次计算用时少于这么多秒的表，报表变动后先重新计算再显示；更慢的表先显示已保存的清单（注明计算时间），同时在后台重新计算（默认 1）。")
    var followUpInlineSeconds: Double = 1
    @Option(help: "日志格式：text（默认）或 json（每行一个 JSON 对象，供日志系统收集；也可用环境变量 DRS_LOG_FORMAT）。")
    var logFormat: String?

    func run() async throws {
        guard let root = CatalogLoader.locateRoot(explicit: catalog) else {
            throw ValidationError("找不到调查目录。请用 --catalog 指定，或设置环境变量 DRS_CATALOG。")
        }
        let rules: SafetyRules
        do { rules = try SafetyRules.parse(safetyRules) } catch { throw ValidationError(error.message) }
        let environment = ProcessInfo.processInfo.environment
        let format = (logFormat ?? environment["DRS_LOG_FORMAT"] ?? "text").lowercased()
        guard format == "text" || format == "json" else { throw ValidationError("--log-format 只能是 text 或 json") }
        let token = metricsToken ?? environment["DRS_METRICS_TOKEN"]
        guard followUpInlineSeconds.isFinite, (0...3600).contains(followUpInlineSeconds) else {
            throw ValidationError("--follow-up-inline-seconds 应为 0–3600 的秒数")
        }
        let proxies = trustedProxy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        try await WebServer.serve(hostname: hostname, port: port, storage: StorageLocation(database), catalogRoot: root, year: year, demo: demo,
                                  secureCookies: secureCookies, hsts: hsts, trustedProxies: proxies, safetyRules: rules,
                                  metricsToken: token, jsonLogs: format == "json", importLease: TimeInterval(max(1, importLeaseSeconds)),
                                  followUpInlineLimit: .milliseconds(Int(followUpInlineSeconds * 1000)))
    }
}
