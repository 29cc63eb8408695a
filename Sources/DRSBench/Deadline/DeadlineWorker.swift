import DRSCore
import Foundation
import NIOHTTP1

/// Everything the workers share: the client, the year, the reviewers' sessions, the routing and the clock.
struct DeadlineContext: Sendable {
    let client: DeadlineClient
    let year: Int
    let reviewers: [String: DeadlineClient.Session]
    let routing: DeadlineRouting
    /// When the load begins (`--warm-up` before `start`: nothing of it is counted).
    let warmUpStart: ContinuousClock.Instant
    /// When the measured run begins, and ends.
    let start: ContinuousClock.Instant
    let end: ContinuousClock.Instant
    /// Time between one worker's requests: connections / rate.
    let interval: Duration
    let connections: Int
    /// The length of the windows the report is cut into (`--window`).
    let windowLength: Duration

    /// Whether a request due (or sent) at `instant` is counted: not during the warm-up.
    func counts(_ instant: ContinuousClock.Instant) -> Bool { instant >= start }

    /// The window an instant of the run falls in, from 0 at the start; after the end, the last one (a
    /// submission following a save due just before the end is sent after it).
    func window(of instant: ContinuousClock.Instant) -> Int {
        guard windowLength > .zero, instant > start else { return 0 }
        let last = max(0, Int(((end - start) / windowLength).rounded(.up)) - 1)
        return min(last, Int((instant - start) / windowLength))
    }
}

/// One connection's share of the week: paced requests at fixed times (so a slow answer delays nothing
/// that follows and latency is measured from when the request was due, not when it could be sent),
/// each one a filer's save or page view, a submission once a filer is done, or a reviewer's queue or return.
struct DeadlineWorker: Sendable {
    let index: Int
    let context: DeadlineContext
    var filers: [FilerState]
    var tallies = Tallies()
    private var next = 0
    private var sent = 0
    private var returnable: [(unit: String, form: String, version: Int, region: String)] = []

    init(index: Int, context: DeadlineContext, filers: [FilerState]) {
        self.index = index
        self.context = context
        self.filers = filers
    }

    mutating func run() async {
        let clock = ContinuousClock()
        let offset = context.interval * (Double(index) / Double(max(1, context.connections)))
        var due = context.warmUpStart + offset
        // Stops at the end by the clock: requests still due then (the server fell behind) are counted, not sent.
        while due < context.end, clock.now < context.end {
            if clock.now < due { try? await Task.sleep(until: due, clock: clock) }
            await act(due: due)
            context.routing.completed.add(1, ordering: .relaxed)
            due += context.interval
        }
        while due < context.end {
            if context.counts(due) { tallies.unsent += 1 }
            due += context.interval
        }
    }

    /// The mix: 93 in 100 are a filer's (one in ten of those opens the form page, the rest save, and
    /// a filer done saving submits), 5 a reviewer's queue, 2 a return; thousands of filers save while
    /// a few reviewers per province look at what arrived.
    private mutating func act(due: ContinuousClock.Instant) async {
        let draw = Int.random(in: 0..<100)
        if draw < 93, let n = nextFiler() {
            if Int.random(in: 0..<10) == 0 { await viewPage(n, due: due) } else { await file(n, due: due) }
        } else if draw >= 98, !returnable.isEmpty {
            await returnOne(due: due)
        } else {
            await viewQueue(due: due)
        }
    }

    private mutating func nextFiler() -> Int? {
        for _ in 0..<filers.count {
            next = (next + 1) % filers.count
            if !filers[next].submitted { return next }
        }
        return nil
    }

    private mutating func route() -> String {
        sent += 1
        return context.routing.base(index + sent)
    }

    /// Counts a request due (or sent) at `instant`, unless it fell in the warm-up.
    private mutating func record(_ kind: RequestKind, at instant: ContinuousClock.Instant, status: Int, milliseconds: Double,
                                 service: Double? = nil) {
        guard context.counts(instant) else { return }
        tallies.record(kind, window: context.window(of: instant), status: status, milliseconds: milliseconds, service: service)
    }

    private func since(_ t: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - t
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    private mutating func viewPage(_ n: Int, due: ContinuousClock.Instant) async {
        let f = filers[n]
        let sent = ContinuousClock.now
        let reply = await context.client.send(.GET, route() + "/units/\(f.seed.unit.uuidString)/\(context.year)/\(f.seed.form)",
                                              session: f.session, wantJSON: false)
        record(.page, at: due, status: reply.status, milliseconds: since(due), service: since(sent))
    }

    /// A draft save revising the filer's figure; once they have saved enough, the valid original
    /// values go back in and the form is submitted.
    private mutating func file(_ n: Int, due: ContinuousClock.Instant) async {
        let finishing = filers[n].saves >= filers[n].plannedSaves
        let values = finishing ? filers[n].original : filers[n].revised(filers[n].saves % 97 + 1)
        let saved = await save(n, values: values, due: due)
        if finishing, saved { await submit(n) }
    }

    private mutating func save(_ n: Int, values: JSONValue, due: ContinuousClock.Instant) async -> Bool {
        let f = filers[n]
        let sent = ContinuousClock.now
        let reply = await context.client.send(.PUT, route() + f.path + "/\(context.year)/\(f.seed.form)", session: f.session, body: f.saveBody(values))
        record(.save, at: due, status: reply.status, milliseconds: since(due), service: since(sent))
        filers[n].saves += 1
        switch reply.status {
        case 200:
            if case .number(let v)? = reply.json?["version"], let version = Int(v) { filers[n].version = version }
            filers[n].acknowledged = values
            filers[n].unacknowledged = nil
            filers[n].acknowledgedSaves += 1
            return true
        case 0, 500...:
            filers[n].unacknowledged = values
        case 403, 409, 422:
            await resync(n)
        default:
            break
        }
        return false
    }

    private mutating func submit(_ n: Int) async {
        let f = filers[n]
        let started = ContinuousClock.now
        let body = JSONValue.object([("version", .number(String(f.version)))]).serialized()
        let reply = await context.client.send(.POST, route() + f.path + "/\(context.year)/\(f.seed.form)/submit", session: f.session, body: body)
        record(.submit, at: started, status: reply.status, milliseconds: since(started))
        if reply.status == 200 {
            filers[n].submitted = true
        } else {
            // Refused by the rules (422): this draft's figures cannot be submitted as they are; the
            // filer goes on saving drafts and does not try again.
            if reply.status == 422 { filers[n].plannedSaves = .max }
            filers[n].saves = 0
            if reply.status != 0 { await resync(n) }
        }
    }

    /// Reads the form again: what the server holds is now what the filer knows.
    private mutating func resync(_ n: Int) async {
        let f = filers[n]
        let started = ContinuousClock.now
        let reply = await context.client.send(.GET, route() + f.path + "/\(context.year)/\(f.seed.form)", session: f.session)
        record(.resync, at: started, status: reply.status, milliseconds: since(started))
        guard let json = FilerState.submission(reply), case .number(let v)? = json["version"], let version = Int(v) else { return }
        filers[n].version = version
        filers[n].acknowledged = json["values"] ?? .object([])
        filers[n].unacknowledged = nil
        if json["editable"] != .bool(true) { filers[n].submitted = true }
    }

    private mutating func viewQueue(due: ContinuousClock.Instant) async {
        guard let region = context.reviewers.keys.randomElement(), let session = context.reviewers[region] else { return }
        let sent = ContinuousClock.now
        let reply = await context.client.send(.GET, route() + "/api/v1/review/queue?year=\(context.year)&status=submitted&pageSize=50",
                                              session: session)
        record(.queue, at: due, status: reply.status, milliseconds: since(due), service: since(sent))
        guard reply.status == 200, let items = reply.json?["items"]?.arrayValue else { return }
        for item in items.shuffled().prefix(3) where returnable.count < 30 {
            guard let unit = item["unit"]?["id"]?.stringValue, let form = item["form"]?.stringValue,
                  case .number(let v)? = item["version"], let version = Int(v) else { continue }
            returnable.append((unit, form, version, region))
        }
    }

    /// A reviewer sends a submitted form back with a reason (409 when someone else got there first).
    private mutating func returnOne(due: ContinuousClock.Instant) async {
        let item = returnable.removeLast()
        guard let session = context.reviewers[item.region] else { return }
        let body = JSONValue.object([("version", .number(String(item.version))), ("reason", .string("压测：请核对本年实际后重报"))]).serialized()
        let sent = ContinuousClock.now
        let reply = await context.client.send(.POST, route() + "/api/v1/units/\(item.unit)/submissions/\(context.year)/\(item.form)/return",
                                              session: session, body: body)
        record(.returnForm, at: due, status: reply.status, milliseconds: since(due), service: since(sent))
    }
}
