@testable import DRSBench
import DRSCore
import Foundation
import Testing

/// `drs bench deadline` reports the run window by window as well as whole: a ten-minute run's p99 is
/// one number, and only the windows say whether it came from the killed instance, the aggregate or one
/// slow minute.
@Suite("The deadline bench's windows")
struct BenchWindowTests {
    static func lines(_ tallies: Tallies, length: Double = 60, seconds: Double, killAfter: Double? = nil) -> [[String: JSONValue]] {
        tallies.windowLines(length: length, seconds: seconds, killAfter: killAfter, extra: [("instances", .number("2"))]).map { line in
            guard case .object(let members)? = try? JSONValue.parse(line) else { return [:] }
            return Dictionary(members, uniquingKeysWith: { first, _ in first })
        }
    }

    @Test("An instant counts from the start, after the warm-up, and falls in the window of its whole multiple of the length; after the end in the last")
    func instantsFallInTheirWindow() async {
        let start = ContinuousClock.now
        let context = DeadlineContext(client: DeadlineClient.make(connections: 1), year: 2026, reviewers: [:], routing: DeadlineRouting(["http://x"]),
                                      warmUpStart: start - .seconds(30), start: start, end: start + .seconds(600), interval: .milliseconds(64),
                                      connections: 64, windowLength: .seconds(60))
        // The warm-up's requests count in nothing; the run's from its first instant.
        #expect(!context.counts(start - .seconds(30)) && !context.counts(start - .milliseconds(1)))
        #expect(context.counts(start) && context.counts(start + .seconds(605)))
        #expect(context.window(of: start) == 0)
        #expect(context.window(of: start - .seconds(1)) == 0)
        #expect(context.window(of: start + .milliseconds(59_999)) == 0)
        #expect(context.window(of: start + .seconds(60)) == 1)
        #expect(context.window(of: start + .milliseconds(599_999)) == 9)
        #expect(context.window(of: start + .seconds(605)) == 9)
        await context.client.shutdown()
    }

    @Test("Each window reports its own requests, saves, failures and aggregates, and the window of the kill")
    func eachWindowHasItsOwnFigures() {
        var first = Tallies(), second = Tallies()
        // Window 0: 100 saves of 2 ms and one of 500 ms; window 1: saves of 10 ms, a 5xx and an unanswered page.
        for _ in 0..<99 { first.record(.save, window: 0, status: 200, milliseconds: 2, service: 1) }
        first.record(.save, window: 0, status: 200, milliseconds: 500, service: 480)
        for _ in 0..<50 { second.record(.save, window: 1, status: 200, milliseconds: 10) }
        second.record(.save, window: 1, status: 503, milliseconds: 10)
        second.record(.page, window: 1, status: 0, milliseconds: 30_000)
        second.record(.aggregate, window: 1, status: 200, milliseconds: 4_000)
        var all = Tallies()
        all.merge(first)
        all.merge(second)
        let lines = Self.lines(all, seconds: 150, killAfter: 75)
        #expect(lines.count == 3)
        #expect(lines.map { $0["window"] } == [.number("0"), .number("1"), .number("2")])
        #expect(lines.map { $0["to_s"] } == [.number("60"), .number("120"), .number("150")])
        #expect(lines[0]["requests"] == .number("100") && lines[0]["saves"] == .number("100"))
        #expect(lines[0]["save_p50_ms"] == .number("2.0") && lines[0]["save_p99_ms"] == .number("2.0"))
        #expect(lines[0]["save_service_p99_ms"] == .number("1.0"))
        #expect(lines[1]["requests"] == .number("52") && lines[1]["saves"] == .number("51"))
        #expect(lines[1]["status_5xx"] == .number("1") && lines[1]["no_answer"] == .number("1"))
        #expect(lines[1]["aggregates"] == .number("1") && lines[1]["aggregate_max_ms"] == .number("4000.0"))
        #expect(lines[1]["p99_ms"] == .number("30000.0"))
        #expect(lines.map { $0["killed"] } == [.bool(false), .bool(true), .bool(false)])
        // The last window is 30 s long: its rate is per its own seconds.
        #expect(lines[2]["requests"] == .number("0") && lines[2]["per_s"] == .number("0.0"))
        #expect(lines[0]["per_s"] == .number(String(format: "%.1f", 100.0 / 60)))
        #expect(lines.allSatisfy { $0["bench"] == .string("deadline-window") && $0["instances"] == .number("2") })
        // The whole run still counts every request once.
        #expect(all.paced.latencies.count == 152)
    }

    @Test("Without a kill no window is marked, and a run shorter than a window is one line")
    func shortRunIsOneWindow() {
        var tallies = Tallies()
        tallies.record(.queue, window: 0, status: 200, milliseconds: 40)
        let lines = Self.lines(tallies, seconds: 8)
        #expect(lines.count == 1 && lines[0]["killed"] == .bool(false) && lines[0]["to_s"] == .number("8"))
        #expect(lines[0]["per_s"] == .number("0.1"))
    }
}
