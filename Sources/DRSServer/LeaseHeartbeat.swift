import Foundation

/// Keeps a worker's lease on its job alive while it works on it: renewed every third of the lease,
/// so a live worker whose one step is long (a large file, a batch of e-mails waiting on a slow mail
/// server) keeps its job, while a killed worker's job passes to another instance one lease later.
/// The caller cancels the returned task when it stops working on the job.
enum LeaseHeartbeat {
    static func start(lease: TimeInterval, renew: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(max(lease / 3, 0.2)))
                guard !Task.isCancelled else { return }
                await renew()
            }
        }
    }
}
