import DRSOffice
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Long computations in the server leave room for requests: half the cores, at a lower priority;
/// a bulk import's parsing keeps every core at a request's priority.
@Suite("Offload") struct OffloadTests {
    @Test func theServersComputationsYieldToRequests() async throws {
        Offload.leaveRoomForRequests()
        #expect(Offload.threads == max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let computation = try await Offload.run { () -> Int32 in
            errno = 0
            return getpriority(which, 0)
        }
        #expect(computation == 10, "a computation runs at nice 10")
        let parsing = try await Offload.onEveryCore { () -> Int32 in
            errno = 0
            return getpriority(which, 0)
        }
        #expect(parsing == getpriority(which, 0), "parsing runs at the process's own priority")
        #endif
        // What the computation returns or throws is the caller's, as before.
        #expect(try await Offload.run { 6 * 7 } == 42)
        await #expect(throws: CancellationError.self) { try await Offload.run { throw CancellationError() } }
    }
}
