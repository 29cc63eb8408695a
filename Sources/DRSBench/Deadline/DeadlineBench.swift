import DRSCore
import Foundation

/// `drs bench deadline`: the last days before the survey closes. Filers of a synthetic nation revise
/// and submit their drafts, reviewers open their queues and send forms back, and the national office
/// runs one aggregate after another, against one or more instances of `drs serve` sharing a database;
/// optionally one instance is killed part-way. Afterwards every filer's form is read back: it must
/// hold the last acknowledged values (or those of a save whose answer was lost with the instance).
public enum DeadlineBench {
    /// The report lines (JSON) and whether nothing acknowledged was lost.
    public static func run(_ options: DeadlineOptions, log: @escaping @Sendable (String) -> Void) async throws -> (lines: [String], clean: Bool) {
        log("准备：读取数据库，选出填报单位并建立压测账户……")
        let cast = try await DeadlineCast.prepare(options)
        log("\(cast.filers.count) 个填报单位（\(cast.regions.count) 个省份），\(cast.year)年。")
        let client = DeadlineClient.make(connections: options.connections + 8)
        var servers: ServerInstances?
        do {
            if options.targets.isEmpty {
                log("启动 \(options.instances) 个实例……")
                servers = try await ServerInstances.start(options, client: client)
            }
            let result = try await week(options, cast: cast, client: client, servers: servers, log: log)
            servers?.stopAll()
            await client.shutdown()
            return result
        } catch {
            servers?.stopAll()
            await client.shutdown()
            throw error
        }
    }

    private static func week(_ options: DeadlineOptions, cast: DeadlineCast, client: DeadlineClient, servers: ServerInstances?,
                             log: @escaping @Sendable (String) -> Void) async throws -> (lines: [String], clean: Bool) {
        let bases = servers?.bases ?? options.targets
        let routing = DeadlineRouting(bases)
        let admin = try await client.login(base: routing.base(0), username: "admin", password: options.password)
        var reviewers: [String: DeadlineClient.Session] = [:]
        for (n, region) in cast.regions.enumerated() {
            reviewers[region] = try await client.login(base: routing.base(n), username: "review-\(region)", password: options.password)
        }
        log("填报人登录并读取各自的表……")
        let filers = try await openFilers(cast, client: client, routing: routing)
        guard !filers.isEmpty else { throw DeadlineError("没有可修改的草稿：所选的表都不可编辑或没有数值。") }
        let clock = ContinuousClock()
        let warmUpStart = clock.now + .milliseconds(500)
        let start = warmUpStart + .milliseconds(Int(options.warmUp * 1000))
        let end = start + .milliseconds(Int(options.seconds * 1000))
        let connections = max(1, options.connections)
        let context = DeadlineContext(client: client, year: cast.year, reviewers: reviewers, routing: routing,
                                      warmUpStart: warmUpStart, start: start, end: end,
                                      interval: .seconds(Double(connections) / max(options.rate, 0.1)), connections: connections,
                                      windowLength: .seconds(options.window))
        let warmUp = options.warmUp > 0 ? "，先预热 \(Int(options.warmUp)) 秒（不计入结果）" : ""
        log("压测开始：\(filers.count) 个填报人，\(connections) 个连接，目标 \(Int(options.rate)) 次/秒，\(Int(options.seconds)) 秒\(warmUp)。")
        let killed = scheduleKill(options, servers: servers, routing: routing, start: start, log: log)
        let progress = Task { await report(progress: routing, until: end, log: log) }
        let forms = options.aggregate ? cast.aggregateForms : []
        let aggregate = Task {
            await aggregateLoop(client: client, admin: admin, cast: cast, forms: forms, statuses: options.aggregateStatuses, context: context)
        }
        let (tallies, finished) = await runWorkers(context: context, filers: filers)
        var all = tallies
        all.merge(await aggregate.value)
        progress.cancel()
        let peaks = servers?.peakMemoryMB() ?? []
        log("压测结束，逐个读回填报人的表……")
        let verdict = await DeadlineVerification.check(finished, client: client, routing: routing, year: cast.year)
        let seconds = options.seconds
        let extra: [(String, JSONValue)] = [("instances", .number(String(bases.count))), ("database", .string(options.engine)),
                                            ("target_per_s", .number(String(Int(options.rate)))), ("seconds", .number(String(Int(seconds))))]
        var lines = RequestKind.allCases.compactMap { kind in all.byKind[kind].map { $0.line(kind: kind.rawValue, seconds: seconds, extra: extra) } }
        lines.append(all.paced.line(kind: "all", seconds: seconds, extra: extra + [("unsent", .number(String(all.unsent)))]))
        let killAfter = killed.value == nil ? nil : options.killAfter
        lines += all.windowLines(length: options.window, seconds: seconds, killAfter: killAfter, extra: extra)
        for (n, peak) in peaks.enumerated().map({ n, peak in (n, killed.value == n ? killed.peakMB : peak) }) {
            lines.append(JSONValue.object([("bench", .string("deadline-instance")), ("base", .string(bases[n])),
                                           ("peak_rss_mb", peak.map { .number(String(format: "%.0f", $0)) } ?? .null),
                                           ("killed", .bool(killed.value == n))]).serialized())
        }
        lines.append(verdict.line)
        return (lines, verdict.lost == 0 && verdict.unreadable == 0)
    }

    /// Logs every filer in and reads their form, eight at a time.
    private static func openFilers(_ cast: DeadlineCast, client: DeadlineClient, routing: DeadlineRouting) async throws -> [FilerState] {
        var opened: [FilerState] = []
        for chunkStart in stride(from: 0, to: cast.filers.count, by: 8) {
            let chunk = cast.filers[chunkStart..<min(cast.filers.count, chunkStart + 8)]
            try await withThrowingTaskGroup(of: FilerState?.self) { group in
                for (n, seed) in zip(chunk.indices, chunk) {
                    group.addTask {
                        let session = try await client.login(base: routing.base(n), username: seed.username, password: DeadlineCast.filerPassword)
                        let reply = await client.send(.GET, routing.base(n) + "/api/v1/units/\(seed.unit.uuidString)/submissions/\(cast.year)/\(seed.form)",
                                                      session: session)
                        return FilerState.open(seed, session: session, reply: reply)
                    }
                }
                for try await filer in group { if let filer { opened.append(filer) } }
            }
        }
        return opened
    }

    private static func runWorkers(context: DeadlineContext, filers: [FilerState]) async -> (Tallies, [FilerState]) {
        await withTaskGroup(of: (Tallies, [FilerState]).self) { group in
            for index in 0..<context.connections {
                let mine = stride(from: index, to: filers.count, by: context.connections).map { filers[$0] }
                group.addTask {
                    var worker = DeadlineWorker(index: index, context: context, filers: mine)
                    await worker.run()
                    return (worker.tallies, worker.filers)
                }
            }
            var all = Tallies(), finished: [FilerState] = []
            for await (tallies, filers) in group {
                all.merge(tallies)
                finished += filers
            }
            return (all, finished)
        }
    }

    /// The national office: one aggregate by province at a time, form after form, until the week ends;
    /// at most one a second (a statistician reading them; one kept by the instances answers in
    /// milliseconds, and back to back they would be a load of their own).
    private static func aggregateLoop(client: DeadlineClient, admin: DeadlineClient.Session, cast: DeadlineCast, forms: [String],
                                      statuses: String, context: DeadlineContext) async -> Tallies {
        let routing = context.routing, end = context.end
        var tally = Tallies()
        var n = 0
        while ContinuousClock.now < end, !forms.isEmpty {
            let form = forms[n % forms.count]
            let started = ContinuousClock.now
            let reply = await client.send(.GET, routing.base(n) + "/api/v1/aggregate?year=\(cast.year)&form=\(form)&by=province&status=\(statuses)",
                                          session: admin, wantJSON: false)
            let d = ContinuousClock.now - started
            let milliseconds = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
            if context.counts(started) {
                tally.record(.aggregate, window: context.window(of: started), status: reply.status, milliseconds: milliseconds)
            }
            n += 1
            let next = min(started + .seconds(1), end)
            if ContinuousClock.now < next { try? await Task.sleep(until: next, clock: .continuous) }
        }
        return tally
    }

    /// Kills the last instance `killAfter` seconds in, as a machine failure would; returns which one.
    private static func scheduleKill(_ options: DeadlineOptions, servers: ServerInstances?, routing: DeadlineRouting,
                                     start: ContinuousClock.Instant, log: @escaping @Sendable (String) -> Void) -> KilledInstance {
        let killed = KilledInstance()
        guard let after = options.killAfter, let servers, servers.bases.count > 1,
              let base = servers.bases.last, let pid = servers.pids.last else { return killed }
        let index = servers.bases.count - 1
        Task {
            try? await Task.sleep(until: start + .milliseconds(Int(after * 1000)), clock: .continuous)
            routing.remove(base)
            let peak = ServerInstances.peakMemoryMB(pid: pid)
            killAbruptly(pid)
            killed.set(index, peakMB: peak)
            log("已用 SIGKILL 终止实例 \(base)。")
        }
        return killed
    }

    /// Every 30 seconds: requests answered so far and the rate since the last line.
    private static func report(progress routing: DeadlineRouting, until end: ContinuousClock.Instant, log: @Sendable (String) -> Void) async {
        var last = 0
        while ContinuousClock.now < end {
            do { try await Task.sleep(for: .seconds(30)) } catch { return }
            let done = routing.completed.load(ordering: .relaxed)
            log("已完成 \(done) 个请求（近30秒 \((done - last) / 30) 次/秒）")
            last = done
        }
    }
}
