import DRSOffice
import Foundation
import Synchronization
import Vapor

/// 核查清单 around the server's life: at start (when the instance works in the background, as
/// `drs serve` does), the lists stored by another release are computed again, so the first page after
/// a release finds them current; at stop, a computation under way finishes before the database closes.
final class FollowUpLifecycle: LifecycleHandler, Sendable {
    let warmUp: Bool
    private let started = Mutex<Task<Void, Never>?>(nil)

    init(warmUp: Bool) { self.warmUp = warmUp }

    func didBoot(_ application: Application) throws {
        guard warmUp else { return }
        let platform = application.platform, db = application.db
        let task = Task(priority: .background) {
            await platform.followUps.warmUp(db, gate: platform.gate, catalog: platform.catalog)
        }
        started.withLock { $0 = task }
    }

    func shutdownAsync(_ application: Application) async {
        await started.withLock { $0 }?.value
        await application.platform.followUps.settle()
    }
}
