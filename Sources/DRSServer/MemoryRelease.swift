import Foundation
import Synchronization
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// Keeps the process near its baseline memory after a large upload (issue #11, finding 7).
///
/// glibc raises its mmap threshold each time a large block is freed (up to 32 MB), so the buffers of
/// the second large upload come from a heap arena and stay resident after they are freed: measured,
/// +12 MB after each 13 MB CSV on a 68 MB server. Fixing the threshold at 256 KB keeps every large
/// buffer (a request body, a workbook's parts) in its own mapping, returned to the system when freed;
/// `malloc_trim(0)` after a large input returns what small allocations left free in the arenas.
/// Elsewhere than glibc (macOS) there is nothing to do.
enum MemoryRelease {
    /// Inputs from this size on are followed by a trim.
    static let threshold = 1 << 20
    /// Allocations from this size on get their own mapping.
    static let mmapThreshold: Int32 = 256 << 10

    /// Sets the fixed mmap threshold; idempotent, called when the upload routes are registered.
    static func configure() {
        _ = configured
    }

    private static let configured: Bool = {
        guard let mallopt = function("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self) else { return false }
        let M_MMAP_THRESHOLD: Int32 = -3   // malloc.h
        return mallopt(M_MMAP_THRESHOLD, mmapThreshold) == 1
    }()

    /// Trims now and once more shortly after, when the request that held the input (its body is
    /// kept until the answer is written) has been released.
    static func afterLargeInput(bytes: Int) {
        guard bytes >= threshold else { return }
        trimNow()
        Task.detached(priority: .background) {
            try? await Task.sleep(for: .milliseconds(500))
            trimNow()
        }
    }

    /// Resident memory from which a finished request is followed by a trim (at most once a `trimInterval`):
    /// the national lists hold their whole scope while they are made, and glibc keeps what they freed.
    static let largeResident = 256.0 * 1_048_576
    static let trimInterval: TimeInterval = 5
    static let lookInterval: TimeInterval = 1
    private static let lastTrim = Mutex<Date>(.distantPast)
    private static let lastLook = Mutex<Date>(.distantPast)

    /// After a request: trims in the background if the process is large and has not trimmed lately.
    static func afterRequest() {
        // On every request's path: the clock first; the process's size (a file read) at most once a second.
        let now = Date()
        let look = lastLook.withLock { last -> Bool in
            guard now.timeIntervalSince(last) >= lookInterval else { return false }
            last = now
            return true
        }
        guard look, let resident = ServerMetrics.residentMemoryBytes(), resident >= largeResident else { return }
        let due = lastTrim.withLock { last -> Bool in
            guard now.timeIntervalSince(last) >= trimInterval else { return false }
            last = now
            return true
        }
        guard due else { return }
        Task.detached(priority: .background) {
            try? await Task.sleep(for: .milliseconds(200))   // the response's buffers released first
            trimNow()
        }
    }

    static func trimNow() {
        guard let trim = function("malloc_trim", as: (@convention(c) (Int) -> Int32).self) else { return }
        _ = trim(0)
    }

    /// A glibc function by name (`malloc.h` is not part of Swift's Glibc module).
    private static func function<F>(_ name: String, as type: F.Type) -> F? {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }
}

/// Gives memory back after requests once the process has grown (`MemoryRelease.afterRequest`).
/// On the event loop, as every middleware on a request's way is (`Middleware`, not `AsyncMiddleware`:
/// see `installMiddleware`).
struct MemoryReleaseMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            MemoryRelease.afterRequest()
            return response
        }
    }
}
