import NIOCore
import NIOPosix

/// Process-wide settings of the runtime the server runs on.
public enum ServerRuntime {
    /// Makes Swift concurrency's global executor NIO's event loops (the ones Vapor serves on), so an
    /// async handler continues on the loop that read its request instead of hopping to another
    /// thread and back. Only possible before the first task starts; returns whether it took effect.
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}

/// Long computations (decoding a year of submissions, aggregating them, follow-up lists) run on NIO's
/// pool of blocking threads. Async handlers run on the event loops (`runConcurrencyOnEventLoops`), so
/// a computation of seconds there would hold up every other connection of that loop for as long.
enum Offload {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
