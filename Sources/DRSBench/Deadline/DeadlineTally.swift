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
        let sorted = latencies.sorted(), served = service.sorted()
        func ms(_ v: Double) -> JSONValue { .number(String(format: "%.1f", v)) }
        return JSONValue.object([
            ("bench", .string("deadline")), ("kind", .string(kind)), ("requests", .number(String(latencies.count))),
            ("per_s", .number(String(format: "%.1f", Double(latencies.count) / max(seconds, 0.001)))),
            ("p50_ms", ms(Self.quantile(sorted, 0.5))), ("p99_ms", ms(Self.quantile(sorted, 0.99))), ("max_ms", ms(sorted.last ?? 0)),
            ("service_p50_ms", ms(Self.quantile(served, 0.5))), ("service_p99_ms", ms(Self.quantile(served, 0.99))),
            ("ok", .number(String(ok))), ("status_4xx", .number(String(clientErrors))), ("status_5xx", .number(String(serverErrors))),
            ("no_answer", .number(String(failed))),
            ("by_status", .object(refusals.sorted { $0.key < $1.key }.map { (String($0.key), .number(String($0.value))) })),
        ] + extra).serialized()
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
            let all = Self.paced(kinds), saves = kinds[.save] ?? KindTally(), aggregates = kinds[.aggregate] ?? KindTally()
            let sorted = all.latencies.sorted(), saved = saves.latencies.sorted(), served = saves.service.sorted()
            let aggregated = aggregates.latencies.sorted()
            func ms(_ v: Double) -> JSONValue { .number(String(format: "%.1f", v)) }
            func number(_ v: Int) -> JSONValue { .number(String(v)) }
            let killed = killAfter.map { from <= $0 && $0 < to } ?? false
            return JSONValue.object([
                ("bench", .string("deadline-window")), ("window", number(n)),
                ("from_s", .number(String(format: "%g", from))), ("to_s", .number(String(format: "%g", to))),
                ("requests", number(sorted.count)), ("per_s", .number(String(format: "%.1f", Double(sorted.count) / max(to - from, 0.001)))),
                ("p50_ms", ms(KindTally.quantile(sorted, 0.5))), ("p99_ms", ms(KindTally.quantile(sorted, 0.99))),
                ("saves", number(saved.count)), ("save_p50_ms", ms(KindTally.quantile(saved, 0.5))),
                ("save_p99_ms", ms(KindTally.quantile(saved, 0.99))), ("save_service_p99_ms", ms(KindTally.quantile(served, 0.99))),
                ("status_5xx", number(all.serverErrors)), ("no_answer", number(all.failed)),
                ("aggregates", number(aggregated.count)), ("aggregate_max_ms", ms(aggregated.last ?? 0)),
                ("killed", .bool(killed)),
            ] + extra).serialized()
        }
    }
}
