import Foundation
import Synchronization
import Vapor

/// Each instance's loop for jobs kept in the database (bulk imports, 催报 runs): it works every job it
/// can take (`work`, which claims jobs by lease until there is none), then rests. Woken at once by a
/// job posted on this instance; otherwise it looks every `idle` for jobs left by others (an instance
/// stopped or killed half-way, a restart).
final class JobWorker: LifecycleHandler, Sendable {
    static let idle: Duration = .seconds(2)

    /// The name this worker holds its leases by: unique per process and worker.
    let name: String
    private let work: @Sendable (Application, String) async -> Void
    private let loop = Mutex<Task<Void, Never>?>(nil)
    private let waiting = Mutex<CheckedContinuation<Void, Never>?>(nil)

    init(kind: String, work: @escaping @Sendable (_ app: Application, _ name: String) async -> Void) {
        name = "drs-\(ProcessInfo.processInfo.processIdentifier)-\(kind)-\(UUID().uuidString.prefix(8))"
        self.work = work
    }

    // Started by the synchronous hook: the tests' in-memory application boots through it, a server
    // (`asyncBoot`) reaches it through the default `didBootAsync`.
    func didBoot(_ application: Application) throws {
        let task = Task { [weak application] in
            while !Task.isCancelled, let application {
                await self.work(application, self.name)
                await self.rest()
            }
        }
        loop.withLock { $0 = task }
    }

    func shutdownAsync(_ application: Application) async {
        let task = loop.withLock { task -> Task<Void, Never>? in defer { task = nil }; return task }
        task?.cancel()
        wake()
        await task?.value
    }

    /// A job was posted here: start now rather than at the next look.
    func wake() {
        waiting.withLock { waiting -> CheckedContinuation<Void, Never>? in defer { waiting = nil }; return waiting }?.resume()
    }

    /// Waits for `wake` or `idle`, whichever comes first.
    private func rest() async {
        guard !Task.isCancelled else { return }
        await withCheckedContinuation { continuation in
            waiting.withLock { $0 = continuation }
            Task {
                try? await Task.sleep(for: Self.idle)
                self.wake()
            }
        }
    }
}
