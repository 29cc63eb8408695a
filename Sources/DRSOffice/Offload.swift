import Foundation
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Long computations (decoding a year of submissions, aggregating them, follow-up lists) run on a pool
/// of blocking threads. Async handlers run on the event loops (`runConcurrencyOnEventLoops`), so a
/// computation of seconds there would hold up every other connection of that loop for as long.
///
/// In a command (`drs aggregate`, `drs import`) the work has the machine to itself and runs on every
/// core. In the server it shares the machine with filers' requests: `leaveRoomForRequests()` (at boot)
/// sends it to a pool of half the cores, at a lower CPU priority, so that a national aggregate of
/// seconds never takes every core from the saves and pages waiting behind it (measured in
/// docs/benchmarks.md (aa)); on an idle machine it still gets what is free.
public enum Offload {
    private static let besideRequests = Atomic<Bool>(false)
    /// The server's pool: half the cores, started when first used.
    private static let sharedPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        pool.start()
        return pool
    }()
    /// The nice value of the server's pool's threads (0 is a request's; 19 the lowest).
    static let niceness: Int32 = 10

    /// From now on (for the rest of the process), long computations leave room for requests.
    public static func leaveRoomForRequests() {
        besideRequests.store(true, ordering: .relaxed)
    }

    /// How many of the computations can run side by side: what to cut a long one into.
    public static var threads: Int {
        besideRequests.load(ordering: .relaxed) ? max(1, ProcessInfo.processInfo.activeProcessorCount / 2) : ProcessInfo.processInfo.activeProcessorCount
    }

    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        guard besideRequests.load(ordering: .relaxed) else { return try await NIOThreadPool.singleton.runIfActive(body) }
        return try await sharedPool.runIfActive {
            yieldToRequests()
            return try body()
        }
    }

    /// Work that is itself what the machine is for (a bulk import's parsing: "on all cores"), on
    /// every core at a request's priority.
    public static func onEveryCore<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// Lowers the calling thread's priority. On Linux the nice value is the thread's own (`who` 0 is
    /// the calling thread); raising it needs no privilege, and the pool's threads do nothing else.
    private static func yieldToRequests() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }
}
