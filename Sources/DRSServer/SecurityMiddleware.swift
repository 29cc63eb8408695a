import Vapor

/// Security headers on every response: no framing, no sniffing, scripts and styles only from here;
/// HSTS when served over HTTPS; `Retry-After` on a refusal that says how long to wait.
struct SecurityHeadersMiddleware: Middleware {
    var hsts = false

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in withHeaders(response, for: request) }
    }

    private func withHeaders(_ response: Response, for request: Request) -> Response {
        let h = response.headers
        func set(_ name: String, _ value: String) { if !h.contains(name: name) { response.headers.replaceOrAdd(name: name, value: value) } }
        set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
        set("X-Frame-Options", "DENY")
        set("X-Content-Type-Options", "nosniff")
        set("Referrer-Policy", "same-origin")
        set("Cross-Origin-Opener-Policy", "same-origin")
        if hsts { set("Strict-Transport-Security", "max-age=31536000; includeSubDomains") }
        if let seconds = request.retryAfter { set("Retry-After", String(seconds)) }
        if request.isAPI || response.headers.contentType == .html {
            set("Cache-Control", "no-store")
        }
        return response
    }
}

/// CSRF protection for every state-changing request. A logged-in session's requests must carry the
/// session's token, in the `X-CSRF-Token` header (scripts) or the `_csrf` field (forms). Anonymous
/// requests (the login form) have no session to keep a token in — and get none, so that anonymous
/// pages store nothing: a form that another site could post (form, multipart or plain-text body) must
/// carry the token of the `drs-csrf` cookie (double submit). A JSON body cannot be sent from another
/// site without the server's consent (CORS), so the JSON login needs no token.
struct CSRFMiddleware: Middleware {
    static let safeMethods: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        @Sendable func onward() -> EventLoopFuture<Response> { next.respond(to: request).map { Self.withAnonymousToken(request, $0) } }
        guard !Self.safeMethods.contains(request.method) else { return onward() }
        let expected: String?
        if request.isLoggedInSession {
            expected = request.session.data["csrf"]
        } else if Self.crossSiteSendable(request.headers.contentType) {
            expected = request.cookies[SessionSettings.csrfCookieName]?.string
        } else {
            return onward()
        }
        if let sent = request.headers.first(name: "X-CSRF-Token") {
            return Self.matches(expected, sent) ? onward() : request.eventLoop.makeFailedFuture(Self.refusal)
        }
        guard request.headers.contentType == .urlEncodedForm else { return request.eventLoop.makeFailedFuture(Self.refusal) }
        // A form's token is in its body, which may still be arriving: read it in a task of its own.
        return request.eventLoop.makeFutureWithTask { try await Self.formToken(request) }.flatMap { sent in
            Self.matches(expected, sent) ? onward() : request.eventLoop.makeFailedFuture(Self.refusal)
        }
    }

    static let refusal = APIError(status: .forbidden, code: "csrf", message: "页面已过期或请求来源不可信，请刷新页面后重试")

    static func matches(_ expected: String?, _ sent: String?) -> Bool {
        guard let expected, !expected.isEmpty, let sent else { return false }
        return constantTimeEqual(expected, sent)
    }

    /// The `_csrf` field of a form. A body larger than the server's first read (2 kB with the head)
    /// arrives after the head, so the middleware would find no body yet: it is collected here first, up
    /// to the routes' limit (beyond it the request is refused as too large), and the route then finds
    /// it collected.
    static func formToken(_ request: Request) async throws -> String? {
        if request.body.data == nil {
            _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
        }
        return try? request.content.get(String.self, at: "_csrf")
    }

    /// Content types a page on another site can post without asking (a form, or `fetch` in no-cors mode).
    static func crossSiteSendable(_ type: HTTPMediaType?) -> Bool {
        guard let type else { return true }
        if type.type == "multipart" { return true }
        return type == .urlEncodedForm || (type.type == "text" && type.subType == "plain")
    }

    /// Sets the anonymous token's cookie when this response handed out a new one.
    static func withAnonymousToken(_ request: Request, _ response: Response) -> Response {
        if let minted = request.storage[AnonymousCSRFKey.self], minted.isNew {
            let secure = request.application.loginSecurity.secureCookies
            response.cookies[SessionSettings.csrfCookieName] = HTTPCookies.Value(
                string: minted.token, maxAge: 12 * 3600, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

enum SessionSettings {
    static let cookieName = "drs-session"
    /// The anonymous pages' CSRF token (double submit).
    static let csrfCookieName = "drs-csrf"
}

struct AnonymousCSRFKey: StorageKey { typealias Value = (token: String, isNew: Bool) }

extension Request {
    /// Whether the request rides on a logged-in session (one the sessions middleware restored, or
    /// one this request logged in). A session cookie alone is not enough: a stale one restores nothing.
    var isLoggedInSession: Bool { hasSession && session.data["uid"] != nil }

    /// The CSRF token for the page or answer: the logged-in session's, created on first use; for an
    /// anonymous request, the `drs-csrf` cookie's (a new one is set with the response).
    var csrfToken: String {
        if isLoggedInSession {
            if let token = session.data["csrf"] { return token }
            let token = Self.newCSRFToken()
            session.data["csrf"] = token
            return token
        }
        if let known = storage[AnonymousCSRFKey.self] { return known.token }
        if let cookie = cookies[SessionSettings.csrfCookieName]?.string, cookie.count == 32,
           cookie.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95 }) {
            storage[AnonymousCSRFKey.self] = (cookie, false)
            return cookie
        }
        let token = Self.newCSRFToken()
        storage[AnonymousCSRFKey.self] = (token, true)
        return token
    }

    static func newCSRFToken() -> String {
        [UInt8].random(count: 24).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
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
