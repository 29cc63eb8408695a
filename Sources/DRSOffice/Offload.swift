import NIOPosix

/// Long computations (decoding a year of submissions, aggregating them, follow-up lists) run on NIO's
/// pool of blocking threads. Async handlers run on the event loops (`runConcurrencyOnEventLoops`), so
/// a computation of seconds there would hold up every other connection of that loop for as long.
public enum Offload {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
