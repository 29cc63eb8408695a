/// Runs writes one at a time. SQLite allows one writer; letting several connections race for its
/// lock makes them spin (measured here: 450–850 saves/s instead of ~14,000/s through one writer).
/// PostgreSQL needs no gate: its row locks and the versioned UPDATE decide.
///
/// Draft saves take the other road, `SQLiteWriter`'s own connection. A gated transaction that reads
/// and then writes while the writer commits would fail with SQLITE_BUSY_SNAPSHOT (its snapshot is no
/// longer the newest, and waiting cannot help): found by `drs bench deadline`, where submissions and
/// returns failed beside saves. So the gate also holds the writer between two of its batches while a
/// gated write runs; saves queued meanwhile go in the writer's next batch.
public actor WriteGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var writer: SQLiteWriter?

    public init() {}

    /// The writer to hold while a gated write runs.
    public func holding(_ writer: SQLiteWriter) { self.writer = writer }

    func acquire() async {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
        await writer?.holdBetweenBatches()
    }

    func release() {
        writer?.releaseHold()
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

extension Optional where Wrapped == WriteGate {
    /// Runs `body` alone when there is a gate, directly otherwise.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard let gate = self else { return try await body() }
        await gate.acquire()
        do {
            let result = try await body()
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }
}
