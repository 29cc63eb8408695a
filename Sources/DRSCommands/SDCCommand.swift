import ArgumentParser
import DRSCore
import DRSDisclosure
import DRSExchange
import DRSSolverCLP
import Foundation

/// `drs sdc`: disclosure control of a magnitude table from microdata (统计法第二十八条). The
/// interface is a published contract (issue #13): other tools call it as written here.
public struct SDCCommand: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "sdc",
        abstract: "统计资料保密处理：按保密规则标出敏感单元格（一次隐藏），补充隐藏（二次隐藏），并以攻击者线性规划核验。",
        discussion: "规则写法同 tau-Argus：P(p,n)、P(p,q,n)、NK(n,k)、FREQ(m,r)，以 | 连接。详见 docs/disclosure-control.md。",
        subcommands: [Protect.self, Audit.self]
    )

    /// The microdata and table options both subcommands share.
    struct TableOptions: ParsableArguments {
        @Option(help: "微观数据 CSV（每个调查对象一行，含表头）。") var input: String
        @Option(help: "分组列，逗号分隔，如 province,resp_type[,industry]。") var dimensions: String
        @Option(help: "量值列，如 storage_tb（非负数值）。") var value: String
        @Option(help: "控股列：同一集团的单位合为一个贡献者。") var holding: String?
        @Option(help: "保密规则（默认 P(10,1)|FREQ(3,10)）。") var rules = SafetyRules.standard.description

        func load() throws -> (table: MagnitudeTable, rules: SafetyRules) {
            let rules: SafetyRules
            do { rules = try SafetyRules.parse(self.rules) } catch { throw ValidationError(error.message) }
            let names = dimensions.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, !names.contains(where: \.isEmpty), Set(names).count == names.count else {
                throw ValidationError("--dimensions 应为不重复的列名，逗号分隔：\(dimensions)")
            }
            guard let data = FileManager.default.contents(atPath: input) else { throw ValidationError("无法读取 \(input)") }
            do {
                let contributions = try MicrodataCSV.read(Array(data), columns: .init(dimensions: names, value: value, holding: holding))
                let table = try MagnitudeTable.build(dimensionNames: names, contributions: contributions,
                                                     largestKept: rules.largestContributionsNeeded)
                return (table, rules)
            } catch let error as DisclosureFileError {
                throw ValidationError("\(input)：\(error.message)")
            } catch let error as TableBuildError {
                throw ValidationError("\(input)：\(error.message)")
            }
        }
    }

    public struct Protect: ParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(
            abstract: "保护一张量值表（含全部合计），写出每个单元格的状态：primary、secondary、safe、empty。")
        @OptionGroup var table: TableOptions
        @Option(help: "二次隐藏的代价：value（隐藏值最小）或 count（隐藏格数最少）。") var cost = "value"
        @Option(help: "输出 CSV：分组列（合计为 Total）、value、freq、status。") var output: String

        public func run() throws {
            let started = ContinuousClock.now
            guard let cost = SuppressionCost(rawValue: cost) else { throw ValidationError("--cost 应为 value 或 count：\(cost)") }
            let (magnitudes, rules) = try table.load()
            let protectStarted = ContinuousClock.now
            let protected = SecondarySuppression(solver: CLPSolver(), cost: cost).protect(magnitudes, rules: rules)
            let protectSeconds = protectStarted.duration(to: .now)
            try writeAtomically(SuppressionPatternCSV.write(protected), to: output)
            var line = JSONLine()
            line.add("tool", "drs")
            line.add("cells", magnitudes.cellCount)
            line.add("primary", protected.primaryCount)
            line.add("secondary", protected.secondaryCount)
            line.add("seconds", started.duration(to: .now).seconds)
            line.add("protect_seconds", protectSeconds.seconds)
            line.add("empty", protected.status.filter { $0 == .empty }.count)
            line.add("unprotectable", protected.unprotectable.count)
            line.add("lp_solves", protected.programmes)
            line.add("rules", rules.description)
            line.add("cost", cost.rawValue)
            print(line.text)
        }
    }

    public struct Audit: AsyncParsableCommand {
        public init() {}

        public static let configuration = CommandConfiguration(
            abstract: "核验一个隐藏模式：对每个敏感单元格解攻击者线性规划，求其可推断的最小值和最大值，检查保护区间；有不合格单元格时退出码为 1。")
        @OptionGroup var table: TableOptions
        @Option(help: "隐藏模式 CSV（drs sdc protect 或 sdc_peer.py 的 --out）。") var pattern: String

        public func run() async throws {
            let started = ContinuousClock.now
            let (magnitudes, rules) = try table.load()
            guard let data = FileManager.default.contents(atPath: pattern) else { throw ValidationError("无法读取 \(pattern)") }
            let read: (suppressed: [Bool], unknownRows: Int)
            do { read = try SuppressionPatternCSV.read(Array(data), table: magnitudes) } catch { throw ValidationError("\(pattern)：\(error.message)") }
            let sensitivity = CellSensitivity.assess(magnitudes, rules: rules)
            let report = await AttackerAudit(solver: CLPSolver()).audit(magnitudes, sensitivity: sensitivity, suppressed: read.suppressed,
                                                                        tasks: ProcessInfo.processInfo.activeProcessorCount)
            var line = JSONLine()
            line.add("tool", "drs")
            line.add("cells", magnitudes.cellCount)
            line.add("primary", sensitivity.filter(\.isPrimary).count)
            line.add("secondary", zip(read.suppressed, sensitivity).filter { $0 && !$1.isPrimary }.count)
            line.add("cells_failing", report.failing)
            line.add("seconds", started.duration(to: .now).seconds)
            line.add("pattern_unknown_cells", read.unknownRows)
            line.add("solver_problems", report.solverProblems.count)
            line.add("rules", rules.description)
            print(line.text)
            for problem in report.solverProblems.prefix(10) { printError(problem) }
            if report.failing > 0 { throw ExitCode(1) }
        }
    }
}

/// Writes through a temporary file and a rename, so a failed run leaves no partial output.
private func writeAtomically(_ text: String, to path: String) throws {
    let temporary = path + ".partial"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
        throw ValidationError("无法写入 \(path)")
    }
    if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    try FileManager.default.moveItem(atPath: temporary, toPath: path)
}

/// One JSON object on one line, keys in the order added (serialised by the project's `JSONValue`).
struct JSONLine {
    private var members: [(String, JSONValue)] = []

    mutating func add(_ key: String, _ value: String) { members.append((key, .string(value))) }
    mutating func add(_ key: String, _ value: Int) { members.append((key, .number(String(value)))) }
    mutating func add(_ key: String, _ value: Double) { members.append((key, .number(String((value * 1000).rounded() / 1000)))) }

    var text: String { JSONValue.object(members).serialized() }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
