// Measures disclosure control alone, without the web platform: the same microdata reader,
// protection and audit as `drs sdc`, timed phase by phase (docs/benchmarks.md, section j).
//   swift build -c release --product sdc-bench
//   .build/release/sdc-bench micro.csv province,resp_type storage_tb [rules] [value|count] [pattern-out.csv]
import DRSDisclosure
import DRSExchange
import DRSSolverCLP
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 4, let data = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: sdc-bench micro.csv dims value [rules] [value|count] [out.csv]\n".utf8))
    exit(2)
}
let dimensions = arguments[2].split(separator: ",").map(String.init)
let rules = (try? SafetyRules.parse(arguments.count > 4 ? arguments[4] : "P(10,1)|FREQ(3,10)")) ?? .standard
let cost = SuppressionCost(rawValue: arguments.count > 5 ? arguments[5] : "value") ?? .value
let clock = ContinuousClock()
func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }

do {
    let start = clock.now
    let contributions = try MicrodataCSV.read(Array(data), columns: .init(dimensions: dimensions, value: arguments[3]))
    let read = clock.now
    let table = try MagnitudeTable.build(dimensionNames: dimensions, contributions: contributions, largestKept: rules.largestContributionsNeeded)
    let built = clock.now
    var suppression = SecondarySuppression(solver: CLPSolver(), cost: cost)
    if arguments.count > 7, let order = SecondarySuppression.PrimaryOrder(rawValue: arguments[7]) { suppression.order = order }
    let protected = suppression.protect(table, rules: rules)
    let protectedAt = clock.now
    let report = await AttackerAudit(solver: CLPSolver()).audit(table, sensitivity: protected.sensitivity, suppressed: protected.suppressed,
                                                                 tasks: ProcessInfo.processInfo.activeProcessorCount)
    let audited = clock.now
    if arguments.count > 6 { try SuppressionPatternCSV.write(protected).write(toFile: arguments[6], atomically: true, encoding: .utf8) }
    print("{\"tool\":\"drs\",\"cells\":\(table.cellCount),\"primary\":\(protected.primaryCount),\"secondary\":\(protected.secondaryCount),"
        + "\"cells_failing\":\(report.failing),\"lp_solves\":\(protected.programmes),\"read_seconds\":\(seconds(start.duration(to: read))),"
        + "\"table_seconds\":\(seconds(read.duration(to: built))),\"protect_seconds\":\(seconds(built.duration(to: protectedAt))),"
        + "\"audit_seconds\":\(seconds(protectedAt.duration(to: audited)))}")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
