import DRSCore
import Vapor

/// An error answered as JSON with a stable code and a Chinese message:
/// `{"error": {"code": "version_conflict", "message": "…", "details": …}}`.
struct APIError: AbortError, Sendable {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var details: [String: AnyCodable]?

    var reason: String { message }

    static func notFound(_ what: String = "资源") -> APIError { APIError(status: .notFound, code: "not_found", message: "\(what)不存在或无权访问") }
    static let unauthenticated = APIError(status: .unauthorized, code: "unauthenticated", message: "请先登录")
    static let forbidden = APIError(status: .forbidden, code: "forbidden", message: "无权执行此操作")
    static func badRequest(_ code: String, _ message: String, details: [String: AnyCodable]? = nil) -> APIError {
        APIError(status: .badRequest, code: code, message: message, details: details)
    }
    static func unprocessable(_ code: String, _ message: String, details: [String: AnyCodable]? = nil) -> APIError {
        APIError(status: .unprocessableEntity, code: code, message: message, details: details)
    }
}

/// A JSON value of any shape, for error details and loosely shaped bodies.
struct AnyCodable: Codable, @unchecked Sendable {
    let value: Any

    init(_ value: Any) { self.value = value }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = NSNull() } else if let b = try? c.decode(Bool.self) { value = b }
        else if let i = try? c.decode(Int.self) { value = i } else if let s = try? c.decode(String.self) { value = s }
        else if let a = try? c.decode([AnyCodable].self) { value = a.map(\.value) }
        else if let o = try? c.decode([String: AnyCodable].self) { value = o.mapValues(\.value) }
        else { value = NSNull() }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch value {
        case let b as Bool: try c.encode(b)
        case let i as Int: try c.encode(i)
        case let s as String: try c.encode(s)
        case let a as [Any]: try c.encode(a.map(AnyCodable.init))
        case let o as [String: Any]: try c.encode(o.mapValues(AnyCodable.init))
        case let e as any Encodable: try e.encode(to: encoder)
        default: try c.encodeNil()
        }
    }
}

/// Turns every error into JSON for `/api/…` and into a Chinese error page elsewhere.
struct ErrorResponder: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            let api = Self.apiError(error, for: request)
            let wantsJSON = request.headers.first(name: .accept)?.contains("application/json") ?? false
            if request.url.path.hasPrefix("/api/") || wantsJSON {
                return request.eventLoop.makeSucceededFuture(
                    JSONValue.errorBody(api.code, api.message, Self.detailMembers(api.details)).response(status: api.status))
            }
            if api.status == .unauthorized { return request.eventLoop.makeSucceededFuture(request.redirect(to: "/login")) }
            return request.eventLoop.makeFutureWithTask { await Self.page(api, for: request) }
        }
    }

    /// What a failure says to the user; an unexpected error is logged and said as 500.
    static func apiError(_ error: any Error, for request: Request) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as DecodingError:
            return .badRequest("malformed_body", "请求内容格式不正确：\(Self.describe(e))")
        case let e as any AbortError where e.status == .payloadTooLarge:
            return APIError(status: .payloadTooLarge, code: "body_too_large", message: "请求内容过大")
        case let e as any AbortError where e.status == .notFound:
            return .notFound("页面")
        case let e as any AbortError:
            return APIError(status: e.status, code: "http_\(e.status.code)", message: e.reason)
        default:
            request.logger.report(error: error)
            return APIError(status: .internalServerError, code: "internal", message: "服务器内部错误，请稍后重试")
        }
    }

    /// The Chinese error page (plain text should the page itself fail).
    static func page(_ api: APIError, for request: Request) async -> Response {
        do {
            return try await request.view.render("error", ErrorPage(status: "\(api.status.code)", message: api.message))
                .encodeResponse(status: api.status, for: request)
        } catch {
            let response = Response(status: api.status, body: .init(string: "\(api.status.code) \(api.message)"))
            response.headers.contentType = .plainText
            return response
        }
    }

    /// An error's details as JSON members for the document's `Error` body (none when absent).
    static func detailMembers(_ details: [String: AnyCodable]?) -> [(String, JSONValue)] {
        guard let details, let data = try? JSONEncoder().encode(details),
              let json = try? JSONValue.parse(bytes: [UInt8](data)) else { return [] }
        return json.objectMembers ?? []
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "缺少字段 \(key.stringValue)"
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            "字段 \(c.codingPath.map(\.stringValue).joined(separator: ".")) 类型不对"
        case .dataCorrupted: "不是有效的 JSON"
        @unknown default: "格式错误"
        }
    }
}
