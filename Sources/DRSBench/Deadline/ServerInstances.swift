import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `drs serve` processes under test: started on consecutive ports against one database, waited
/// for until ready, one of them killed with SIGKILL when asked, the rest stopped at the end. Each
/// writes its log to a file beside the bench's temporary files.
final class ServerInstances {
    struct Instance {
        var base: String
        var process: Process
        var log: URL
    }

    private(set) var instances: [Instance] = []

    /// Starts `count` instances; returns when all answer /readyz.
    static func start(_ options: DeadlineOptions, client: DeadlineClient) async throws -> ServerInstances {
        let started = ServerInstances()
        do {
            for n in 0..<options.instances {
                let port = options.port + n
                let log = FileManager.default.temporaryDirectory.appendingPathComponent("drs-deadline-\(port).log")
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: options.executable)
                process.arguments = ["serve", "--database", options.database, "--port", String(port), "--catalog", options.catalogRoot.path]
                let handle = try FileHandle(forWritingTo: log)
                process.standardOutput = handle
                process.standardError = handle
                try process.run()
                started.instances.append(Instance(base: "http://127.0.0.1:\(port)", process: process, log: log))
                // One at a time: the first start migrates nothing (the bench did), but each binds its port and warms its catalog.
                try await started.waitReady(started.instances[n], client: client)
            }
        } catch {
            started.stopAll()
            throw error
        }
        return started
    }

    private func waitReady(_ instance: Instance, client: DeadlineClient) async throws {
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            guard instance.process.isRunning else { throw DeadlineError("实例 \(instance.base) 启动失败，见日志 \(instance.log.path)") }
            if await client.send(.GET, instance.base + "/readyz", session: nil, wantJSON: false).status == 200 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw DeadlineError("实例 \(instance.base) 180 秒内未就绪，见日志 \(instance.log.path)")
    }

    var bases: [String] { instances.map(\.base) }
    var pids: [Int32] { instances.map(\.process.processIdentifier) }

    /// The most memory each instance held at any moment so far (VmHWM), in MB; nil once it has exited.
    func peakMemoryMB() -> [Double?] {
        instances.map { $0.process.isRunning ? Self.peakMemoryMB(pid: $0.process.processIdentifier) : nil }
    }

    static func peakMemoryMB(pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kb / 1024
    }

    /// Stops every instance still running (SIGTERM, then waits).
    func stopAll() {
        for instance in instances where instance.process.isRunning {
            instance.process.terminate()
            instance.process.waitUntilExit()
        }
    }
}

/// Kills a process the way a machine failure would: no chance to finish what it was doing.
func killAbruptly(_ pid: Int32) {
    kill(pid, SIGKILL)
}
