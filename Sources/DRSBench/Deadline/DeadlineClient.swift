import AsyncHTTPClient
import DRSCore
import Foundation
import NIOCore
import NIOHTTP1

/// The bench's HTTP side: one shared client, requests that never throw (a refused connection is an
/// outcome to count, not an error to stop on), and log-in.
struct DeadlineClient: Sendable {
    let http: HTTPClient

    struct Session: Sendable {
        var cookie: String
        var csrf: String
    }

    /// What came back: the status (0 when no response arrived) and the JSON body, if any.
    struct Reply: Sendable {
        var status: Int
        var json: JSONValue?
        var arrived: Bool { status != 0 }
    }

    static func make(connections: Int) -> DeadlineClient {
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        config.timeout = .init(connect: .seconds(5), read: .seconds(60))
        return DeadlineClient(http: HTTPClient(eventLoopGroupProvider: .singleton, configuration: config))
    }

    func send(_ method: HTTPMethod, _ url: String, session: Session?, body: String? = nil, wantJSON: Bool = true) async -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let session {
            request.headers.add(name: "Cookie", value: session.cookie)
            if method != .GET { request.headers.add(name: "X-CSRF-Token", value: session.csrf) }
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        do {
            let response = try await http.execute(request, timeout: .seconds(60))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            let json = wantJSON ? try? JSONValue.parse(bytes: Array(bytes.readableBytesView)) : nil
            return Reply(status: Int(response.status.code), json: json)
        } catch {
            return Reply(status: 0, json: nil)
        }
    }

    /// Logs in through the API; the session lives in the database, so any instance accepts it. A
    /// server whose password checks are all taken answers 429 with `Retry-After` (a thousand filers log
    /// in at the start): the bench waits as asked and tries again, as a browser's user would.
    func login(base: String, username: String, password: String) async throws -> Session {
        var request = HTTPClientRequest(url: base + "/api/v1/session")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = JSONValue.object([("username", .string(username)), ("password", .string(password))]).serialized()
        for attempt in 1...Self.loginAttempts {
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await http.execute(request, timeout: .seconds(60))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            if response.status == .tooManyRequests, attempt < Self.loginAttempts {
                try await Task.sleep(for: .seconds(Self.retryAfter(response.headers)))
                continue
            }
            guard response.status == .ok, let json = try? JSONValue.parse(bytes: Array(bytes.readableBytesView)),
                  let cookie = response.headers["set-cookie"].first?.split(separator: ";").first.map(String.init) else {
                throw DeadlineError(response.status == .unauthorized
                    ? "\(username) 登录失败（401）：请确认 --password 与 drs demo nation --password 相同。"
                    : "\(username) 登录失败（\(response.status.code)，已尝试 \(attempt) 次）。")
            }
            return Session(cookie: cookie, csrf: json["csrfToken"]?.stringValue ?? "")
        }
        throw DeadlineError("\(username) 登录失败。")
    }

    /// Tries of one log-in refused as busy before the bench gives up.
    static let loginAttempts = 20

    /// The seconds `Retry-After` asks for, between 1 and 30 (1 when it says nothing usable).
    static func retryAfter(_ headers: HTTPHeaders) -> Int {
        min(max(headers.first(name: "Retry-After").flatMap { Int($0) } ?? 1, 1), 30)
    }

    func shutdown() async { try? await http.shutdown() }
}

/// A bench that cannot go on, said in Chinese.
struct DeadlineError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
