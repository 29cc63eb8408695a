import NIOCore
import Vapor

/// `Server-Timing: app;dur=12.4` on every response: the milliseconds the server spent from taking the
/// request to having its response (a streamed body's remaining bytes aside). Browsers show it in their
/// developer tools, and `tools/bench/page-times.py` reads it to measure each page's server time
/// without the network or the browser's rendering (docs/benchmarks.md (m)).
struct ServerTimingMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let start = NIODeadline.now()
        return next.respond(to: request).map { response in
            response.headers.replaceOrAdd(name: "Server-Timing", value: Self.value(nanoseconds: (NIODeadline.now() - start).nanoseconds))
            return response
        }
    }

    /// `app;dur=` and the milliseconds to a tenth, rounded half up. In integers: `String(format:)` went
    /// through Foundation and `vfprintf` on every request, about 1% of a saturated instance
    /// (docs/benchmarks.md (ad)).
    static func value(nanoseconds: Int64) -> String {
        let elapsed = max(0, nanoseconds)
        // Not `(elapsed + 50_000) / 100_000`: that overflows at `Int64.max`.
        let tenths = elapsed / 100_000 + (elapsed % 100_000 >= 50_000 ? 1 : 0)
        return "app;dur=\(tenths / 10).\(tenths % 10)"
    }
}
