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
