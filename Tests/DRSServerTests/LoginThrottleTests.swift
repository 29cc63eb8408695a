@testable import DRSServer
import Foundation
import Testing
import Vapor

/// Issue #11, finding 6: failed logins are counted atomically (parallel attempts do not all count as
/// the first), unknown and known names get the same answers, and the delay is progressive.
@Suite("Login throttling", .serialized)
struct LoginThrottleTests {
    @Test func parallelWrongPasswordsAreCountedOneByOne() async throws {
        try await TestPlatform.run { app in
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        var client = Client(app)
                        return try await client.login("beijing-data", "wrong-password").status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            let verified = statuses.filter { $0 == .unauthorized }.count
            #expect(verified <= 5, "\(verified) of 20 parallel attempts were checked")
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 15)
        }
    }

    @Test func unknownAndKnownNamesGetTheSameAnswers() async throws {
        let clock = TestClock()
        try await TestPlatform.run(adjust: { $0.clock = { clock.now } }) { app in
            func attempts(_ name: String) async throws -> [String] {
                var answers: [String] = []
                for _ in 0..<7 {
                    var client = Client(app)
                    let reply = try await client.login(name, "wrong-password")
                    answers.append("\(reply.status.code) \(reply.errorCode ?? "") \(reply.errorMessage ?? "")")
                }
                return answers
            }
            let known = try await attempts("beijing-data")
            let unknown = try await attempts("beijing-dat")
            #expect(known == unknown)
            #expect(known.last?.hasPrefix("429") == true)
        }
    }

    @Test func aCorrectPasswordWorksAfterTheDelay() async throws {
        let clock = TestClock()
        try await TestPlatform.run(adjust: { $0.clock = { clock.now } }) { app in
            var client = Client(app)
            for _ in 0..<5 { #expect(try await client.login("beijing-data", "wrong-password").status == .unauthorized) }
            let held = try await client.login("beijing-data")
            #expect(held.status == .tooManyRequests)
            #expect(held.headers.first(name: "Retry-After") == "5")
            clock.advance(5)
            #expect(try await client.login("beijing-data").status == .ok)
            // The count starts again after a correct password.
            var other = Client(app)
            #expect(try await other.login("beijing-data", "wrong-password").status == .unauthorized)
        }
    }

    @Test func storesAdmitExactlyTheFreeAttemptsUnderConcurrency() async throws {
        try await TestPlatform.run { app in
            let stores: [any ThrottleStore] = [MemoryThrottleStore(), SQLThrottleStore(db: { [weak app] in app?.db })]
            let policy = ThrottlePolicy.account
            let now = Date()
            for store in stores {
                let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<20 { group.addTask { try await store.admit("u:someone", now: now, policy: policy) == nil } }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(admitted == policy.freeAttempts, "\(type(of: store))")
                let wait = try await store.admit("u:someone", now: now.addingTimeInterval(1), policy: policy)
                #expect(wait.map { $0 > 3 && $0 <= 5 } == true)
                #expect(try await store.admit("u:someone", now: now.addingTimeInterval(5), policy: policy) == nil)
                #expect(try await store.admit("u:someone", now: now.addingTimeInterval(6), policy: policy).map { $0 > 8 } == true)
                try await store.clear("u:someone")
                #expect(try await store.admit("u:someone", now: now.addingTimeInterval(7), policy: policy) == nil)
            }
        }
    }

    @Test func passwordHashingRefusesWhenItsQueueIsFull() async throws {
        let hashing = PasswordHashing(threads: 1, queueLimit: 2, maxWait: 10, cost: 10)
        defer { hashing.shutdown() }
        let hash = try await hashing.hash("Tea-kettle-river-47")
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do { return try await hashing.verify("Tea-kettle-river-47", created: hash) ? "ok" : "wrong" }
                    catch let e as APIError { return e.code } catch { return "error" }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes.contains("ok"))
        #expect(outcomes.filter { $0 == "busy" }.count >= 5, "\(outcomes)")
        #expect(!outcomes.contains("wrong") && !outcomes.contains("error"))
    }

    @Test func passwordHashingRefusesWhatWouldWaitTooLong() async throws {
        let hashing = PasswordHashing(threads: 1, queueLimit: 100, maxWait: 0.2, cost: 10)   // ~60 ms a check
        defer { hashing.shutdown() }
        let hash = try await hashing.hash("Tea-kettle-river-47")
        let busy = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<40 {
                group.addTask { do { _ = try await hashing.verify("x", created: hash); return false } catch { return true } }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(busy >= 20, "\(busy) of 40 refused")
        #expect(busy < 40)
    }
}
