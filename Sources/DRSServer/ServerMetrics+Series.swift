import Prometheus

extension ServerMetrics {
    /// A series the server makes itself, named once with the `# HELP` line an operator reads beside
    /// it. Every one is named here only: swift-prometheus stops the process when one name is made twice
    /// with two different help texts.
    struct Series: Sendable {
        let name: String
        /// `total` for a counter; a gauge's unit, or nothing when its name says it.
        let unit: String
        let help: String

        var descriptor: MetricNameDescriptor { MetricNameDescriptor(metricName: name, unitName: unit, helpText: help) }

        static let saves = counter("drs_saves", "草稿保存次数，按表（form）和结果（outcome：saved 已保存，conflict 版本已变，refused 被拒）")
        static let workflowSteps = counter("drs_workflow_steps", "流程步骤次数，按步骤（step：submit 报送，approve 审核通过，return 退回，verify 核定，reopen 重新打开）和结果（outcome：done 完成，conflict 版本已变，refused 被拒）")
        static let importedFiles = counter("drs_import_files", "服务器导入任务处理的文件数，按结果（outcome：imported 已导入，unchanged 未变跳过，rejected 拒绝）")
        static let reminders = counter("drs_reminders", "本实例发出的催报数，按渠道（channel：smtp 已发邮件，outbox 写入发件箱，notice 仅站内提醒：无邮箱或邮件发送失败）")

        static let submissions = Series(name: "drs_submissions", unit: "", help: "本调查年度的报表数，按状态（status），抓取时从数据库读取")
        static let databaseQuerySeconds = Series(name: "drs_database_query_seconds", unit: "", help: "本次抓取读取数据库所用的秒数（数据库是否迟缓）")
        static let poolConnectionsMax = Series(name: "drs_database_pool_connections_max", unit: "", help: "本实例数据库连接池的上限（每个事件循环的连接数 × 核数）")
        static let databaseConnections = Series(name: "drs_database_connections", unit: "", help: "PostgreSQL 中本库的客户端连接数（所有实例合计），按状态（state）")
        static let importJobsRunning = Series(name: "drs_import_jobs_running", unit: "", help: "进行中的导入任务数（所有实例合计）")
        static let importFiles = Series(name: "drs_import_files", unit: "", help: "进行中导入任务的文件数：state=done 已处理，state=total 总数")
        static let reminderRunsRunning = Series(name: "drs_reminder_runs_running", unit: "", help: "进行中的催报发送数（所有实例合计）")
        static let reminderUnits = Series(name: "drs_reminder_run_units", unit: "", help: "进行中催报发送的单位数：state=done 已处理，state=total 总数")
        static let changeFeedListening = Series(name: "drs_change_feed_listening", unit: "", help: "本实例是否在收听 PostgreSQL 的变更通知（1 是；0 否：会话每次从数据库读取，其他缓存只信 2 秒）")
        static let residentMemory = Series(name: "process_resident_memory", unit: "bytes", help: "本进程的常驻内存字节数")

        private static func counter(_ name: String, _ help: String) -> Series {
            Series(name: name, unit: "total", help: help)
        }
    }
}
