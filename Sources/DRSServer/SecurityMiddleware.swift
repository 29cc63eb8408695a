import Vapor

/// Security headers on every response: no framing, no sniffing, scripts and styles only from here.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let h = response.headers
        func set(_ name: String, _ value: String) { if !h.contains(name: name) { response.headers.replaceOrAdd(name: name, value: value) } }
        set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
        set("X-Frame-Options", "DENY")
        set("X-Content-Type-Options", "nosniff")
        set("Referrer-Policy", "same-origin")
        set("Cross-Origin-Opener-Policy", "same-origin")
        if request.isAPI || response.headers.contentType == .html {
            set("Cache-Control", "no-store")
        }
        return response
    }
}

/// CSRF protection for every state-changing request that rides on a session cookie: the request
/// must carry the session's token, in the `X-CSRF-Token` header (scripts) or the `_csrf` field (forms).
struct CSRFMiddleware: AsyncMiddleware {
    static let safeMethods: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // `hasSession`: the request came with a session cookie that the sessions middleware restored.
        if !Self.safeMethods.contains(request.method), request.hasSession {
            let expected = request.session.data["csrf"]
            var sent = request.headers.first(name: "X-CSRF-Token")
            if sent == nil, request.headers.contentType == .urlEncodedForm {
                sent = try? request.content.get(String.self, at: "_csrf")
            }
            guard let expected, let sent, Self.constantTimeEqual(expected, sent) else {
                throw APIError(status: .forbidden, code: "csrf", message: "页面已过期或请求来源不可信，请刷新页面后重试")
            }
        }
        return try await next.respond(to: request)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

enum SessionSettings {
    static let cookieName = "drs-session"
}

extension Request {
    /// The session's CSRF token, created on first use.
    var csrfToken: String {
        if let token = session.data["csrf"] { return token }
        let token = [UInt8].random(count: 24).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        session.data["csrf"] = token
        return token
    }
}

extension Request {
    /// Whether the request is for `/api/…`. The matched route says so without touching the URI (whose
    /// every read re-parses it through URLComponents); only an unmatched request needs the path.
    var isAPI: Bool {
        if let route { return route.path.first?.description == "api" }
        return url.path.hasPrefix("/api/")
    }
}
