import DRSStorage
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// How many failed logins are free, and how long to wait after each one beyond them. A progressive
/// delay rather than a lock: an outsider who knows a user name can hold its owner back for at most
/// `maxDelay`, and a correct password after the delay always works.
struct ThrottlePolicy: Sendable {
    var freeAttempts: Int
    var firstDelay: TimeInterval
    var maxDelay: TimeInterval
    /// Failures older than this are forgotten.
    var forgetAfter: TimeInterval

    /// Per account (user name, known or not): 5 free, then 5 s, 10 s, 20 s … up to 5 minutes.
    static let account = ThrottlePolicy(freeAttempts: 5, firstDelay: 5, maxDelay: 300, forgetAfter: 3600)
    /// Per address: more free attempts (an office behind one address), then 2 s, 4 s … up to 5 minutes.
    static let address = ThrottlePolicy(freeAttempts: 20, firstDelay: 2, maxDelay: 300, forgetAfter: 3600)

    /// The wait after the `failures`-th failure, nil while it is free.
    func delay(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= freeAttempts else { return nil }
        let doublings = min(failures - freeAttempts, 30)
        return min(firstDelay * Double(1 << doublings), maxDelay)
    }

    /// The distinct delays, in order, until the cap (for the SQL CASE).
    var steps: [TimeInterval] {
        var out: [TimeInterval] = []
        var n = freeAttempts
        while let d = delay(afterFailures: n), d < maxDelay { out.append(d); n += 1 }
        return out
    }
}

/// Where failed-login counts live. Every attempt is counted before its password is checked, in one
/// atomic step with the check of the current delay, so parallel attempts cannot all pass as the first.
protocol ThrottleStore: Sendable {
    /// Counts an attempt under `key` unless the key must still wait; returns nil when counted, else the seconds left.
    func admit(_ key: String, now: Date, policy: ThrottlePolicy) async throws -> TimeInterval?
    /// Forgets the key's failures (a correct password for the account).
    func clear(_ key: String) async throws
    /// Takes one counted attempt back (a correct password from the address).
    func uncount(_ key: String) async throws
}

/// Counts in this process: enough when it is the database's only server (SQLite).
final class MemoryThrottleStore: ThrottleStore {
    private struct Entry { var failures: Int; var blockedUntil: Date?; var updated: Date }
    private let entries = NIOLockedValueBox([String: Entry]())
    let limit: Int

    init(limit: Int = 200_000) { self.limit = limit }

    func admit(_ key: String, now: Date, policy: ThrottlePolicy) -> TimeInterval? {
        entries.withLockedValue { entries in
            if entries.count >= limit {
                entries = entries.filter { $0.value.updated > now.addingTimeInterval(-policy.forgetAfter) || ($0.value.blockedUntil ?? now) > now }
                if entries.count >= limit { entries.removeAll() }
            }
            var entry = entries[key] ?? Entry(failures: 0, blockedUntil: nil, updated: now)
            if let until = entry.blockedUntil, until > now { return until.timeIntervalSince(now) }
            if entry.updated < now.addingTimeInterval(-policy.forgetAfter) { entry.failures = 0 }
            entry.failures += 1
            entry.blockedUntil = policy.delay(afterFailures: entry.failures).map { now.addingTimeInterval($0) }
            entry.updated = now
            entries[key] = entry
            return nil
        }
    }

    func clear(_ key: String) { entries.withLockedValue { _ = $0.removeValue(forKey: key) } }

    func uncount(_ key: String) {
        entries.withLockedValue { entries in
            guard var entry = entries[key] else { return }
            entry.failures = max(0, entry.failures - 1)
            entries[key] = entry
        }
    }
}

/// Counts in the database, for several servers on one PostgreSQL database: one conditional
/// `UPDATE … RETURNING` per attempt, which the database applies one at a time per key.
struct SQLThrottleStore: ThrottleStore {
    /// The database, looked up when needed (nil once the application is gone).
    let db: @Sendable () -> (any Database)?
    static let table = SessionTables.loginThrottle

    func admit(_ key: String, now: Date, policy: ThrottlePolicy) async throws -> TimeInterval? {
        guard let sql = db() as? any SQLDatabase else { return nil }
        let t = now.timeIntervalSince1970
        let forgetBefore = t - policy.forgetAfter
        try await sql.raw("""
            INSERT INTO login_throttle (key, failures, blocked_until, updated_at) VALUES (\(bind: key), 0, NULL, \(bind: t))
            ON CONFLICT (key) DO NOTHING
            """).run()
        // The new count: 1 after a long quiet, else one more. The wait: by the new count.
        let count = SQLQueryString("(CASE WHEN updated_at < \(bind: forgetBefore) THEN 1 ELSE failures + 1 END)")
        var wait = SQLQueryString("CASE")
        for (i, step) in policy.steps.enumerated() {
            wait.appendInterpolation(unsafeRaw: " WHEN ")
            wait.appendInterpolation(count)
            wait.appendInterpolation(unsafeRaw: " = \(policy.freeAttempts + i) THEN ")
            wait.appendInterpolation(bind: t + step)
        }
        wait.appendInterpolation(unsafeRaw: " WHEN ")
        wait.appendInterpolation(count)
        wait.appendInterpolation(unsafeRaw: " < \(policy.freeAttempts) THEN NULL ELSE ")
        wait.appendInterpolation(bind: t + policy.maxDelay)
        wait.appendInterpolation(unsafeRaw: " END")
        let counted = try await sql.raw("""
            UPDATE login_throttle SET failures = \(count), blocked_until = \(wait), updated_at = \(bind: t)
            WHERE key = \(bind: key) AND (blocked_until IS NULL OR blocked_until <= \(bind: t))
            RETURNING failures
            """).all()
        if !counted.isEmpty { return nil }
        let row = try await sql.raw("SELECT blocked_until FROM login_throttle WHERE key = \(bind: key)").first()
        let until = (try? row?.decode(column: "blocked_until", as: Double?.self)) ?? nil
        return max(1, (until ?? t + 1) - t)
    }

    func clear(_ key: String) async throws {
        guard let sql = db() as? any SQLDatabase else { return }
        try await sql.raw("DELETE FROM login_throttle WHERE key = \(bind: key)").run()
    }

    func uncount(_ key: String) async throws {
        guard let sql = db() as? any SQLDatabase else { return }
        try await sql.raw("UPDATE login_throttle SET failures = failures - 1 WHERE key = \(bind: key) AND failures > 0").run()
    }
}

/// Login throttling by account and by address.
struct LoginThrottle: Sendable {
    let store: any ThrottleStore
    let now: @Sendable () -> Date
    var accountPolicy = ThrottlePolicy.account
    var addressPolicy = ThrottlePolicy.address
    /// How long a refusal is held before it is sent: 1–2 times this, at most the wait itself.
    var refusalHold: TimeInterval = 1

    /// The keys: user names compare as typed after trimming, without case; unknown names count like known ones.
    static func accountKey(_ username: String) -> String { SessionTables.throttleKey(account: username) }
    static func addressKey(_ address: String) -> String { "a:" + address }

    /// Counts the attempt; throws 429 (with the wait in Retry-After) when the address or account must wait.
    func admit(username: String, address: String, on req: Request) async throws {
        let t = now()
        // An address that must wait does not count against the account it names.
        var wait = try await store.admit(Self.addressKey(address), now: t, policy: addressPolicy)
        if wait == nil { wait = try await store.admit(Self.accountKey(username), now: t, policy: accountPolicy) }
        if let wait {
            let seconds = Int(wait.rounded(.up))
            req.retryAfter = seconds
            // Held back a moment before the answer (no thread is held while it waits): a client that
            // ignores Retry-After and asks again at once cannot turn refusals into a flood of work.
            // The hold varies, so that many refused clients do not all come back in the same instant.
            let hold = min(wait, refusalHold * Double.random(in: 1...2))
            try? await Task.sleep(nanoseconds: UInt64(hold * 1_000_000_000))
            throw APIError(status: .tooManyRequests, code: "throttled",
                           message: "登录失败次数过多，账户已暂时锁定，请\(seconds)秒后再试")
        }
    }

    func succeeded(username: String, address: String) async throws {
        try await store.clear(Self.accountKey(username))
        try await store.uncount(Self.addressKey(address))
    }
}

struct RetryAfterKey: StorageKey { typealias Value = Int }

extension Request {
    /// Seconds a refused client should wait; sent as `Retry-After` (SecurityHeadersMiddleware).
    var retryAfter: Int? {
        get { storage[RetryAfterKey.self] }
        set { storage[RetryAfterKey.self] = newValue }
    }
}
