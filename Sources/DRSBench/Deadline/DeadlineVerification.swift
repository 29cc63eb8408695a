import DRSCore
import Foundation
import Synchronization

/// After the week, every filer's form is read back. It must hold what the server last acknowledged
/// to that filer, or the values of a later save whose answer was lost (sent to an instance that was
/// killed: the save may have committed). Anything else is a lost acknowledged save.
struct DeadlineVerification: Sendable {
    var filers = 0
    var acknowledgedSaves = 0
    var matchedAcknowledged = 0
    var matchedUnanswered = 0
    var lost = 0
    var unreadable = 0
    var examples: [String] = []

    static func check(_ filers: [FilerState], client: DeadlineClient, routing: DeadlineRouting, year: Int) async -> DeadlineVerification {
        var verdict = DeadlineVerification()
        for chunkStart in stride(from: 0, to: filers.count, by: 16) {
            let chunk = filers[chunkStart..<min(filers.count, chunkStart + 16)]
            await withTaskGroup(of: (FilerState, DeadlineClient.Reply).self) { group in
                for (n, filer) in zip(chunk.indices, chunk) {
                    group.addTask {
                        (filer, await client.send(.GET, routing.base(n) + filer.path + "/\(year)/\(filer.seed.form)", session: filer.session))
                    }
                }
                for await (filer, reply) in group { verdict.judge(filer, reply: reply) }
            }
        }
        return verdict
    }

    mutating func judge(_ filer: FilerState, reply: DeadlineClient.Reply) {
        filers += 1
        acknowledgedSaves += filer.acknowledgedSaves
        guard let values = FilerState.submission(reply)?["values"] else {
            unreadable += 1
            return
        }
        let stored = FilerState.flatten(values), acknowledged = FilerState.flatten(filer.acknowledged)
        if stored == acknowledged {
            matchedAcknowledged += 1
        } else if let unanswered = filer.unacknowledged.map(FilerState.flatten), stored == unanswered {
            matchedUnanswered += 1
        } else {
            lost += 1
            if examples.count < 5 {
                let differing = Set(stored.keys).union(acknowledged.keys).filter { stored[$0] != acknowledged[$0] }.sorted().prefix(3)
                examples.append("\(filer.seed.username) \(filer.seed.form): " + differing.map { "\($0) 存 \(stored[$0] ?? "空") 应为 \(acknowledged[$0] ?? "空")" }.joined(separator: "；"))
            }
        }
    }

    var line: String {
        JSONValue.object([
            ("bench", .string("deadline-verify")), ("filers", .number(String(filers))),
            ("acknowledged_saves", .number(String(acknowledgedSaves))), ("as_acknowledged", .number(String(matchedAcknowledged))),
            ("as_unanswered_save", .number(String(matchedUnanswered))), ("lost", .number(String(lost))),
            ("unreadable", .number(String(unreadable))), ("examples", .array(examples.map { .string($0) })),
        ]).serialized()
    }
}

/// Which instance the bench killed, set from the kill's task.
final class KilledInstance: Sendable {
    private let state = Mutex<(index: Int, peakMB: Double?)?>(nil)
    func set(_ n: Int, peakMB: Double?) { state.withLock { $0 = (n, peakMB) } }
    var value: Int? { state.withLock { $0?.index } }
    /// Its memory peak, read just before the kill.
    var peakMB: Double? { state.withLock { $0?.peakMB } }
}
