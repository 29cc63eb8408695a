import Synchronization

/// Which instances take requests: round robin over those alive, as a load balancer would. When the
/// bench kills an instance it is taken out first, so only requests already in flight there fail.
final class DeadlineRouting: Sendable {
    private let alive: Mutex<[String]>
    let completed = Atomic<Int>(0)

    init(_ bases: [String]) { alive = Mutex(bases) }

    func base(_ n: Int) -> String {
        alive.withLock { bases in bases[((n % bases.count) + bases.count) % bases.count] }
    }

    func remove(_ base: String) {
        alive.withLock { bases in if bases.count > 1 { bases.removeAll { $0 == base } } }
    }
}
