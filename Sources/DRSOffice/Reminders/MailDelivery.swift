import DRSStorage
import Foundation

/// Where reminder e-mails go: an SMTP server (through Debian's `curl`, which speaks SMTP, STARTTLS
/// and SMTPS), or — when none is configured — `.eml` files in an outbox folder that the office can
/// send with any mail client. Sending runs on NIO's blocking pool with a time limit, never on an
/// event loop.
public enum MailDelivery: Sendable, Equatable {
    /// `smtp://host:port` (or `smtps://`, or with `user:password@`), the envelope sender, the seconds allowed.
    case smtp(url: String, from: String, timeout: Int)
    case outbox(directory: URL, from: String)

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The configuration of the environment: `DRS_SMTP_URL` and `DRS_SMTP_FROM` for SMTP; otherwise
    /// the outbox `DRS_OUTBOX`, by default `outbox` next to the SQLite file (the working directory's
    /// `outbox` for PostgreSQL).
    public static func configured(environment: [String: String], storage: StorageLocation) -> MailDelivery {
        let from = environment["DRS_SMTP_FROM"].flatMap { ContactEmail.isPlausible($0) ? $0 : nil } ?? "noreply@drs.invalid"
        if let url = environment["DRS_SMTP_URL"], url.hasPrefix("smtp://") || url.hasPrefix("smtps://") {
            return .smtp(url: url, from: from, timeout: 30)
        }
        if let path = environment["DRS_OUTBOX"], !path.isEmpty { return .outbox(directory: URL(fileURLWithPath: path), from: from) }
        let base: URL
        if case .sqliteFile(let path) = storage {
            base = URL(fileURLWithPath: path).deletingLastPathComponent()
        } else {
            base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        }
        return .outbox(directory: base.appendingPathComponent("outbox"), from: from)
    }

    /// The envelope and header sender.
    public var from: String {
        switch self {
        case .smtp(_, let from, _), .outbox(_, let from): from
        }
    }

    /// How a reminder delivered this way is recorded.
    public var channel: Reminder.Channel {
        switch self {
        case .smtp: .smtp
        case .outbox: .outbox
        }
    }

    /// Sends one message (or writes it as `<name>.eml`); throws with the reason in Chinese.
    public func deliver(_ mail: ReminderMail, name: String) async throws {
        let message = Data(mail.rfc5322.utf8)
        switch self {
        case .smtp(let url, let from, let timeout):
            try await Offload.run { try Self.sendWithCurl(message, url: url, from: from, to: mail.to, timeout: timeout) }
        case .outbox(let directory, _):
            try await Offload.run {
                do {
                    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                    try message.write(to: directory.appendingPathComponent(name + ".eml"), options: .atomic)
                } catch {
                    throw Failure(description: "无法写入发件箱 \(directory.path)：\(error.localizedDescription)")
                }
            }
        }
    }

    /// `curl --url smtp://… --mail-from … --mail-rcpt … --upload-file -`, the message on its standard
    /// input. The message is written into the pipe before curl starts (it is small, far below a pipe's
    /// buffer), so a curl that exits early cannot leave us writing into a closed pipe.
    static func sendWithCurl(_ message: Data, url: String, from: String, to: String, timeout: Int) throws {
        guard message.count < 60_000 else { throw Failure(description: "邮件过大") }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        guard let curl = (paths + ["/usr/bin"]).map({ $0 + "/curl" }).first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw Failure(description: "未找到 curl（Debian：apt-get install curl），无法通过 SMTP 发送邮件")
        }
        let input = Pipe(), errors = Pipe()
        input.fileHandleForWriting.write(message)
        try input.fileHandleForWriting.close()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = ["--silent", "--show-error", "--connect-timeout", "10", "--max-time", String(timeout),
                             "--url", url, "--mail-from", from, "--mail-rcpt", to, "--upload-file", "-"]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        // curl keeps its own time limit; this one stops a curl that does not.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeout + 5), execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.availableData.prefix(300), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "SMTP 发送失败（curl 退出码 \(process.terminationStatus)）\(text.isEmpty ? "" : "：" + text)")
        }
    }
}
