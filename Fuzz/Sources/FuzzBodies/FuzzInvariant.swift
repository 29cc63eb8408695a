import Foundation

/// A property that must hold for every input (a round trip, say). Broken, it aborts the process, which
/// libFuzzer records as a crash with the input that caused it.
enum FuzzInvariant {
    static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() {
            report("fuzz invariant broken: \(message())")
            abort()
        }
    }

    /// A line on standard error (the fuzzer's log).
    static func report(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
