#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers
import NIOPosix
import Vapor

/// Bcrypt on its own small pool of threads, with a bounded queue. A bcrypt check takes a quarter of
/// a second of CPU at cost 12; on Vapor's shared pool a login flood queued in front of everything
/// else (file reads, other logins) and slowed every page. Here at most `threads` checks run at once;
/// a check is admitted only while the expected wait for it (the checks ahead of it times their
/// measured duration) stays under `maxWait`, and never past `queueLimit`; any more are refused at
/// once (429 with Retry-After) rather than queued.
final class PasswordHashing: Sendable {
    let cost: Int
    let threads: Int
    let queueLimit: Int
    let maxWait: TimeInterval
    /// Seconds one check takes here (moving average; first an estimate from the cost).
    private let average: NIOLockedValueBox<Double>
    private let pool: NIOThreadPool
    private let admitted = NIOLockedValueBox(0)
    /// A hash to check unknown user names against, so they take as long as known ones.
    private let decoy: NIOLockedValueBox<String?> = .init(nil)

    init(threads: Int, queueLimit: Int, maxWait: TimeInterval = 2, cost: Int) {
        self.cost = cost
        self.threads = max(1, threads)
        self.queueLimit = max(1, queueLimit)
        self.maxWait = maxWait
        average = NIOLockedValueBox(0.25 * pow(2, Double(cost - 12)))
        pool = NIOThreadPool(numberOfThreads: self.threads)
        pool.start()
        // The decoy is made at start, so that not even the first unknown name takes longer.
        pool.submit { [decoy] state in
            guard state == .active, let made = try? Bcrypt.hash("decoy-\(UUID().uuidString)", cost: cost) else { return }
            decoy.withLockedValue { if $0 == nil { $0 = made } }
        }
    }

    /// Thrown when the queue is full.
    static let busy = APIError(status: .tooManyRequests, code: "busy", message: "登录请求过多，请稍后再试")

    func verify(_ password: String, created hash: String) async throws -> Bool {
        try await run { (try? Bcrypt.verify(password, created: hash)) ?? false }
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await run { try Bcrypt.hash(password, cost: cost) }
    }

    /// The same work as `verify` against a real account, for a name that has none.
    func verifyDecoy(_ password: String) async throws {
        let cost = self.cost
        let stored = decoy.withLockedValue { $0 }
        _ = try await run { [decoy] in
            let hash = try stored ?? {
                let made = try Bcrypt.hash("decoy-\(UUID().uuidString)", cost: cost)
                decoy.withLockedValue { $0 = made }
                return made
            }()
            return (try? Bcrypt.verify(password, created: hash)) ?? false
        }
    }

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let limit = queueLimit, threads = self.threads, maxWait = self.maxWait
        let perCheck = average.withLockedValue { $0 }
        let admittedNow = admitted.withLockedValue { count -> Bool in
            guard count < limit, count < threads || Double(count + 1) * perCheck / Double(threads) <= maxWait else { return false }
            count += 1
            return true
        }
        guard admittedNow else { throw Self.busy }
        defer { admitted.withLockedValue { $0 -= 1 } }
        return try await pool.runIfActive { [average] in
            Self.yieldToServing()
            let started = DispatchTime.now().uptimeNanoseconds
            defer {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                average.withLockedValue { $0 = 0.8 * $0 + 0.2 * seconds }
            }
            return try body()
        }
    }

    /// Lowers the calling pool thread's priority (nice 10; on Linux `PRIO_PROCESS` with 0 is the calling
    /// thread), so that the event loops serving pages come first when both want the CPU.
    private static func yieldToServing() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #else
        _ = setpriority(PRIO_PROCESS, 0, 10)
        #endif
    }

    func shutdown() {
        try? pool.syncShutdownGracefully()
    }
}
