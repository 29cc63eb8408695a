import ArgumentParser
import DRSCatalog
import DRSCore
import DRSOffice
import DRSWorkflow
import Foundation

public struct BenchValidate: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "审核性能：(a) 逐份审核真实形态的报表；(b) 全国批量审核（与 peers.py rules 同形：100万条记录×30条规则）。",
        discussion: "输出 JSON 行。加 --peers ../shared/bench/peers.py 可在同一次运行中并列 NumPy 与 DuckDB 的结果并给出比值。"
    )

    @OptionGroup var options: CatalogOptions
    @Option(help: "批量审核的记录数。") var records: Int = 1_000_000
    @Option(help: "批量审核重复次数（取中位数）。") var repetitions: Int = 5
    @Option(help: "批量审核使用的线程数。") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "同时运行的对照脚本 peers.py 的路径（需 numpy、duckdb）。") var peers: String?

    public func run() throws {
        #if DEBUG
        printError("注意：这是 debug 构建，数字没有参考意义。请用 swift build -c release 后运行 .build/release/drs bench validate")
        #endif
        let catalog = try options.compiled()
        let single = SingleSubmissionBench.run(catalog)
        print(single.serialized())
        let batch = try BatchBench.run(records: records, repetitions: repetitions, threads: threads)
        print(batch.serialized())
        if let peers { try PeerComparison.run(script: peers, mode: "rules", ours: batch, key: "record_rules_per_s") }
    }
}

/// `drs bench aggregate`: the national group-by, the same shape as `peers.py groupby`.
public struct BenchAggregate: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "汇总性能：100万份报表×100个单元格，按省份×调查对象类型（320组）分组求和，精确整数运算。",
        discussion: "输出 JSON 行。加 --peers ../shared/bench/peers.py 可在同一次运行中并列 NumPy 与 DuckDB 的结果并给出比值。"
    )
    @Option(help: "记录数。") var records = 1_000_000
    @Option(help: "每条记录的单元格数。") var columns = 100
    @Option(help: "重复次数（取中位数）。") var repetitions = 5
    @Option(help: "并行任务数。") var tasks = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "同时运行的对照脚本 peers.py 的路径（需 numpy、pandas、duckdb）。") var peers: String?
    @Option(help: "另测真实报表的汇总（含加权平均、单位数）：报表编号（默认：单元格最多的指标表）。") var form: String?
    @Option(help: "真实报表汇总的报表份数。") var submissions = 300_000
    @OptionGroup var options: CatalogOptions

    public func run() async throws {
        #if DEBUG
        printError("注意：这是 debug 构建，数字没有参考意义。请用 swift build -c release 后运行 .build/release/drs bench aggregate")
        #endif
        try realForm()
        let input = SyntheticAggregateInput(records: records, columns: columns)
        var times: [Double] = []
        var checksum: Int128 = 0
        let clock = ContinuousClock()
        for _ in 0..<repetitions {
            let t0 = clock.now
            let sums = tasks > 1 ? await GroupedSum.computeConcurrently(input.batch, groups: input.groups, groupCount: input.groupCount, tasks: tasks)
                                 : GroupedSum.compute(input.batch, groups: input.groups, groupCount: input.groupCount)
            let elapsed = clock.now - t0
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            checksum = sums.sums.reduce(0, &+)
        }
        times.sort()
        let median = times[times.count / 2]
        let result = JSONValue.object([
            ("bench", .string("groupby")), ("tool", .string("drs")), ("records", .number(String(records))), ("columns", .number(String(columns))),
            ("groups", .number(String(input.groupCount))), ("tasks", .number(String(tasks))),
            ("median_s", .number(String(Double(Int(median * 10000)) / 10000))),
            ("cell_adds_per_s", .number(String(Int(Double(input.cellAdditions) / median)))),
            ("checksum", .string(String(checksum))), ("exact", .bool(true)),
        ])
        print(result.serialized())
        if let peers { try PeerComparison.run(script: peers, mode: "groupby", ours: result, key: "cell_adds_per_s") }
    }
}

extension BenchAggregate {
    /// The Aggregator on a real form: plausible submissions (2,000 distinct, repeated) spread over 32
    /// provinces × the respondent types, national and province × type totals with units per cell.
    func realForm() throws {
        let catalog = try options.compiled()
        // By default the heaviest case: the indicators form with the most cells (2026: 企业2表).
        let largest = catalog.orderedForms.filter { $0.form.kind == .indicators }.max { $0.layout.count < $1.layout.count }
        guard let compiled = form == nil ? largest : catalog.forms[(form ?? "").uppercased()] else {
            throw ValidationError(form.map { "未知的报表「\($0)」" } ?? "目录中没有指标表")
        }
        let units = Dictionary(uniqueKeysWithValues: catalog.catalog.survey.units.map { ($0.id, $0) })
        let samples = (0..<2000).map { seed in
            SampleSubmissions.clean(compiled, seed: UInt64(seed), profile: UnitProfile(telecomOperator: seed % 10 == 0, stateOwned: true, internetPlatform: false), units: units)
        }
        var random = SampleSubmissions.Generator(seed: 11)
        let records = (0..<submissions).map { i in
            AggregateRecord(dimensions: ["province": String(11 + random.next() % 32), "type": "t\(random.next() % 10)"], values: samples[i % samples.count])
        }
        let aggregator = try Aggregator(form: compiled)
        var times: [Double] = []
        let clock = ContinuousClock()
        var filled = 0
        for _ in 0..<3 {
            let t0 = clock.now
            let table = try aggregator.aggregate(records, groupings: [[], ["province", "type"]])
            let elapsed = clock.now - t0
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            filled = table.grouping(["province", "type"])?.groups.count ?? 0
        }
        times.sort()
        print(JSONValue.object([
            ("bench", .string("aggregate-form")), ("tool", .string("drs")), ("form", .string(compiled.form.id)),
            ("submissions", .number(String(submissions))), ("cells", .number(String(compiled.layout.count))),
            ("groups", .number(String(filled))), ("median_s", .number(String(Double(Int(times[1] * 1000)) / 1000))),
            ("submissions_per_s", .number(String(Int(Double(submissions) / times[1])))),
        ]).serialized())
    }
}

/// `drs bench export`: a unit-level export of many rows through the same streaming writer as
/// `drs export` and `/api/v1/export/submissions`, with the peak memory it took.
public struct BenchExport: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出性能：100万行单位数据（真实报表的全部单元格）流式写成 XLSX 或 CSV，报告行/秒与峰值内存。"
    )
    @OptionGroup var options: CatalogOptions
    @Option(help: "行数。") var rows = 1_000_000
    @Option(help: "报表（默认：目录中第一张数值报表）。") var form: String?
    @Option(help: "格式：xlsx、csv。") var format = "xlsx"
    @Option(help: "输出文件（默认 /tmp/drs-bench-export.<格式>）。") var output: String?

    public func run() async throws {
        #if DEBUG
        printError("注意：这是 debug 构建，数字没有参考意义。")
        #endif
        let catalog = try options.compiled()
        let id = (form ?? FormDefaults.firstNumericForm(in: catalog.catalog) ?? "").uppercased()
        guard let compiled = catalog.forms[id] else { throw ValidationError("未知的报表「\(id)」") }
        let units = Dictionary(uniqueKeysWithValues: catalog.catalog.survey.units.map { ($0.id, $0) })
        let samples: [[TableExport.Cell]] = (0..<200).map { seed in
            let values = SampleSubmissions.clean(compiled, seed: UInt64(seed), profile: UnitProfile(telecomOperator: false, stateOwned: true, internetPlatform: true), units: units)
            return [.text("91110000MA00000\(seed % 10)XX"), .text("示例单位\(seed)"), .text("110000"), .text("示例类型"), .text("已核定"), .integer(3)]
                + (0..<compiled.layout.count).map { values[$0].map { TableExport.Cell.decimal($0) } ?? .empty }
        }
        let path = output ?? "/tmp/drs-bench-export.\(format)"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ValidationError("不能写入 \(path)") }
        let file = SendableHandle(handle: handle)
        let total = rows
        let clock = ContinuousClock()
        let t0 = clock.now
        let written = try await SubmissionExport.write(
            format: format, title: "bench", head: SubmissionExport.head(compiled), created: Date(),
            rows: { yield in
                var done = 0
                while done < total {
                    let n = min(SubmissionExport.pageSize, total - done)
                    try await yield((0..<n).map { samples[(done + $0) % samples.count] })
                    done += n
                }
            },
            emit: { bytes in try file.handle.write(contentsOf: bytes) })
        try file.handle.close()
        let elapsed = clock.now - t0
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(JSONValue.object([
            ("bench", .string("export")), ("tool", .string("drs")), ("format", .string(format)), ("form", .string(compiled.form.id)),
            ("rows", .number(String(written))), ("columns", .number(String(6 + compiled.layout.count))),
            ("seconds", .number(String(Double(Int(seconds * 100)) / 100))), ("rows_per_s", .number(String(Int(Double(written) / seconds)))),
            ("file_mb", .number(String(size / 1_000_000))), ("peak_rss_mb", .number(String(usage.ru_maxrss / 1024))),
        ]).serialized())
    }
}

/// (a) Realistic submissions of every numeric form, checked one at a time as the server will.
enum SingleSubmissionBench {
    static func run(_ catalog: CompiledCatalog) -> JSONValue {
        let units = Dictionary(uniqueKeysWithValues: catalog.catalog.survey.units.map { ($0.id, $0) })
        var cases: [(CompiledForm, CellValues, CellValues)] = []
        for form in catalog.orderedForms where form.form.kind != .basicInfo {
            for seed in 0..<50 {
                let profile = UnitProfile(telecomOperator: seed % 10 == 0, stateOwned: seed % 2 == 0, internetPlatform: seed % 3 == 0)
                let last = SampleSubmissions.clean(form, seed: UInt64(seed * 2 + 1), profile: profile, units: units)
                var values = SampleSubmissions.clean(form, seed: UInt64(seed * 2), profile: profile, lastYear: last, units: units)
                // About one submission in five carries a slip: a rule error to report.
                if seed % 5 == 0, let slot = (0..<values.count).first(where: { values.present[$0] }) {
                    values[slot] = ExactDecimal(-1)
                }
                cases.append((form, values, last))
            }
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(cases.count * 20)
        var violations = 0
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<20 {
            for (form, values, last) in cases {
                let t0 = clock.now
                let report = form.check(values, lastYear: last)
                let t1 = clock.now
                violations &+= report.errors.count + report.warnings.count
                latencies.append(Double((t1 - t0).components.attoseconds) / 1e12 + Double((t1 - t0).components.seconds) * 1e6)
            }
        }
        let total = clock.now - started
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        latencies.sort()
        let cells = cases.reduce(0) { $0 + $1.1.filledCount }
        return .object([
            ("bench", .string("validate-submission")), ("tool", .string("drs")),
            ("forms", .number(String(Set(cases.map { $0.0.form.id }).count))),
            ("submissions", .number(String(latencies.count))),
            ("mean_filled_cells", .number(String(cells / max(1, cases.count)))),
            ("mean_rule_checks", .number(String(cases.reduce(0) { $0 + $1.0.boundRuleCount } / max(1, cases.count)))),
            ("submissions_per_s", .number(String(Int(Double(latencies.count) / seconds)))),
            ("latency_us_median", .number(format(latencies[latencies.count / 2]))),
            ("latency_us_p99", .number(format(latencies[latencies.count * 99 / 100]))),
            ("latency_us_max", .number(format(latencies.last ?? 0))),
            ("violations_reported", .number(String(violations))),
        ])
    }

    static func format(_ x: Double) -> String { String(Double(Int(x * 100)) / 100) }
}

/// (b) The national batch: the same shape of work as `peers.py rules`.
enum BatchBench {
    static func run(records n: Int, repetitions: Int, threads: Int) throws -> JSONValue {
        var random = SampleSubmissions.Generator(seed: 20240601)
        var batch = ColumnBatch(count: n)
        var rules: [String] = []
        for k in 0..<10 {
            let names = (1...4).map { String(format: "x%02d", 4 * k + $0) }
            var b = [Int64](repeating: 0, count: n), c = b, d = b, a = b
            for i in 0..<n {
                b[i] = Int64(random.next() % 101); c[i] = Int64(random.next() % 101); d[i] = Int64(random.next() % 101)
                let total = b[i] + c[i] + d[i]
                if random.next() % 100 == 0 {   // ~1% inconsistent records
                    let delta = Int64(random.next() % 50 + 1)
                    a[i] = total + (random.next() % 2 == 0 ? delta : -delta)
                } else {
                    a[i] = total
                }
            }
            for (name, column) in zip(names, [a, b, c, d]) { batch.addColumn(name, integers: column) }
            rules += ["[\(names[0])] >= [\(names[1])] + [\(names[2])]", "[\(names[1])] < 100",
                      "[\(names[0])] = [\(names[1])] + [\(names[2])] + [\(names[3])]"]
        }
        let compiled = try BatchRules(rules, columns: batch.names)
        let data = batch
        var times: [Double] = []
        var failures = 0
        let clock = ContinuousClock()
        let chunks = max(1, threads)
        for _ in 0..<repetitions {
            let t0 = clock.now
            // Each chunk writes only its own slot.
            nonisolated(unsafe) let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: chunks)
            defer { counts.deallocate() }
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let lo = n * chunk / chunks, hi = n * (chunk + 1) / chunks
                counts[chunk] = compiled.countFailures(in: data, records: lo..<hi).reduce(0, +)
            }
            failures = counts.reduce(0, +)
            let elapsed = clock.now - t0
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        times.sort()
        let median = times[times.count / 2]
        return .object([
            ("bench", .string("rules")), ("tool", .string("drs")), ("records", .number(String(n))),
            ("rules", .number(String(rules.count))), ("threads", .number(String(chunks))),
            ("median_s", .number(String(Double(Int(median * 10000)) / 10000))),
            ("record_rules_per_s", .number(String(Int(Double(n * rules.count) / median)))),
            ("failures", .number(String(failures))), ("exact", .bool(true)),
        ])
    }
}

/// Runs the peer script in the same run and prints the ratio of our figure to each peer's.
enum PeerComparison {
    static func run(script: String, mode: String, ours: JSONValue, key: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, mode]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            printError("对照脚本 \(script) 运行失败（需 pip install numpy pandas duckdb）")
            return
        }
        guard case .number(let mine)? = ours[key], let ourRate = Double(mine) else { return }
        for line in output.split(separator: "\n") {
            print(line)
            guard let peer = try? JSONValue.parse(String(line)), case .number(let theirs)? = peer[key],
                  let theirRate = Double(theirs), let tool = peer["tool"]?.stringValue else { continue }
            print(JSONValue.object([("bench", .string(mode)), ("ratio", .string("drs/\(tool)")),
                                    ("value", .number(String(Double(Int(ourRate / theirRate * 100)) / 100)))]).serialized())
        }
    }
}
