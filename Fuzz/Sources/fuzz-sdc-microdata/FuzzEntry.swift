import FuzzBodies
import FuzzDriver
import Foundation

/// libFuzzer's driver with this target's body (see FuzzDriver.c); without `-sanitize=fuzzer` it replays
/// the files it is given.
@main
enum FuzzEntry {
    static func main() {
        exit(fuzz_driver_run(CommandLine.argc, CommandLine.unsafeArgv) { data, size in FuzzTarget.sdcMicrodata.run(data, size) })
    }
}
