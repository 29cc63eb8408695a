import DRSCore
import Foundation

/// The kinds of request the deadline week is made of.
enum RequestKind: String, CaseIterable, Sendable {
    case save, page, submit, queue
    case returnForm = "return"
    /// A filer reading the form again after a save was refused as stale (409).
    case resync
    /// The national office's aggregate, one at a time beside the paced load.
    case aggregate
}

/// Outcomes and latencies of one kind of request.
struct KindTally: Sendable {
    /// From when each request was due (what a user waits, queueing included).
    var latencies: [Double] = []
    /// From when each request was sent (what the server took once it had it).
    var service: [Double] = []
    var ok = 0
    var clientErrors = 0
    var serverErrors = 0
    /// No answer at all: the connection was refused or broke (an instance killed under it).
    var failed = 0
    /// How many of each refusal or failure status (4xx, 5xx), to tell a stale version from a rule.
    var refusals: [Int: Int] = [:]

    mutating func record(status: Int, milliseconds: Double, service serviceMilliseconds: Double? = nil) {
        latencies.append(milliseconds)
        service.append(serviceMilliseconds ?? milliseconds)
        if status >= 400 { refusals[status, default: 0] += 1 }
        switch status {
        case 0: failed += 1
        case 200..<400: ok += 1
        case 400..<500: clientErrors += 1
        default: serverErrors += 1
        }
    }

    mutating func merge(_ other: KindTally) {
        latencies += other.latencies
        service += other.service
        ok += other.ok
        clientErrors += other.clientErrors
        serverErrors += other.serverErrors
        failed += other.failed
        refusals.merge(other.refusals, uniquingKeysWith: +)
    }

    /// The p-quantile of the latencies (nearest rank), in ms.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
    }

    func line(kind: String, seconds: Double, extra: [(String, JSONValue)]) -> String {
        let summary = LatencySummary(self)
        return JSONValue.object([
            ("bench", .string("deadline")), ("kind", .string(kind)), ("requests", .int(summary.count)),
            ("per_s", .rate(summary.count, over: seconds)),
            ("p50_ms", .milliseconds(summary.p50)), ("p99_ms", .milliseconds(summary.p99)), ("max_ms", .milliseconds(summary.max)),
            ("service_p50_ms", .milliseconds(summary.serviceP50)), ("service_p99_ms", .milliseconds(summary.serviceP99)),
            ("ok", .int(ok)), ("status_4xx", .int(clientErrors)), ("status_5xx", .int(serverErrors)),
            ("no_answer", .int(failed)),
            ("by_status", .object(refusals.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) })),
        ] + extra).serialized()
    }
}

/// A tally's latencies sorted once and read at the points the bench's lines print.
struct LatencySummary {
    let count: Int
    let p50: Double, p99: Double, max: Double
    /// The same of the service times (from when each request was sent).
    let serviceP50: Double, serviceP99: Double

    init(_ tally: KindTally) {
        let sorted = tally.latencies.sorted(), served = tally.service.sorted()
        count = sorted.count
        p50 = KindTally.quantile(sorted, 0.5)
        p99 = KindTally.quantile(sorted, 0.99)
        max = sorted.last ?? 0
        serviceP50 = KindTally.quantile(served, 0.5)
        serviceP99 = KindTally.quantile(served, 0.99)
    }
}

/// How the bench's lines write their numbers.
extension JSONValue {
    /// Milliseconds, to a tenth.
    static func milliseconds(_ v: Double) -> JSONValue { .number(String(format: "%.1f", v)) }
    /// `count` per second over `seconds`, to a tenth.
    static func rate(_ count: Int, over seconds: Double) -> JSONValue {
        .number(String(format: "%.1f", Double(count) / Swift.max(seconds, 0.001)))
    }
}

/// Every kind's tally, over the whole run and window by window; each worker keeps its own and they are
/// merged at the end.
struct Tallies: Sendable {
    var byKind: [RequestKind: KindTally] = [:]
    /// The same requests by the window they were due in (`DeadlineContext.window(of:)`): a run's p99 is
    /// one number, and only the windows tell a killed instance, an aggregate or a slow minute apart.
    var windows: [Int: [RequestKind: KindTally]] = [:]
    /// Paced requests that were due before the end but never sent, because the answers came too slowly.
    var unsent = 0

    mutating func record(_ kind: RequestKind, window: Int, status: Int, milliseconds: Double, service: Double? = nil) {
        byKind[kind, default: KindTally()].record(status: status, milliseconds: milliseconds, service: service)
        windows[window, default: [:]][kind, default: KindTally()].record(status: status, milliseconds: milliseconds, service: service)
    }

    mutating func merge(_ other: Tallies) {
        for (kind, tally) in other.byKind { byKind[kind, default: KindTally()].merge(tally) }
        for (window, kinds) in other.windows {
            for (kind, tally) in kinds { windows[window, default: [:]][kind, default: KindTally()].merge(tally) }
        }
        unsent += other.unsent
    }

    /// All paced kinds together (the aggregate runs beside the load and is reported on its own).
    var paced: KindTally { Self.paced(byKind) }

    private static func paced(_ kinds: [RequestKind: KindTally]) -> KindTally {
        var all = KindTally()
        for (kind, tally) in kinds where kind != .aggregate { all.merge(tally) }
        return all
    }

    /// One line per window of `length` seconds over a run of `seconds`: the paced requests due in it
    /// (rate, p50/p99, 5xx, no answer), its saves, the aggregates started in it, and whether the
    /// instance was killed in it.
    func windowLines(length: Double, seconds: Double, killAfter: Double?, extra: [(String, JSONValue)]) -> [String] {
        guard length > 0, seconds > 0 else { return [] }
        let count = Int((seconds / length).rounded(.up))
        return (0..<count).map { n in
            let from = Double(n) * length, to = min(seconds, from + length)
            let kinds = windows[n] ?? [:]
            let paced = Self.paced(kinds), all = LatencySummary(paced)
            let saves = LatencySummary(kinds[.save] ?? KindTally()), aggregates = LatencySummary(kinds[.aggregate] ?? KindTally())
            let killed = killAfter.map { from <= $0 && $0 < to } ?? false
            return JSONValue.object([
                ("bench", .string("deadline-window")), ("window", .int(n)),
                ("from_s", .number(String(format: "%g", from))), ("to_s", .number(String(format: "%g", to))),
                ("requests", .int(all.count)), ("per_s", .rate(all.count, over: to - from)),
                ("p50_ms", .milliseconds(all.p50)), ("p99_ms", .milliseconds(all.p99)),
                ("saves", .int(saves.count)), ("save_p50_ms", .milliseconds(saves.p50)),
                ("save_p99_ms", .milliseconds(saves.p99)), ("save_service_p99_ms", .milliseconds(saves.serviceP99)),
                ("status_5xx", .int(paced.serverErrors)), ("no_answer", .int(paced.failed)),
                ("aggregates", .int(aggregates.count)), ("aggregate_max_ms", .milliseconds(aggregates.max)),
                ("killed", .bool(killed)),
            ] + extra).serialized()
        }
    }
}
