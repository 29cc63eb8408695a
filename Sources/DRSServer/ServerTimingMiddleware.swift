import NIOCore
import Vapor

/// `Server-Timing: app;dur=12.4` on every response: the milliseconds the server spent from taking the
/// request to having its response (a streamed body's remaining bytes aside). Browsers show it in their
/// developer tools, and `tools/bench/page-times.py` reads it to measure each page's server time
/// without the network or the browser's rendering (docs/benchmarks.md (m)).
struct ServerTimingMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = NIODeadline.now()
        let response = try await next.respond(to: request)
        let nanoseconds = (NIODeadline.now() - start).nanoseconds
        let milliseconds = Double(nanoseconds) / 1_000_000
        response.headers.replaceOrAdd(name: "Server-Timing", value: "app;dur=\(String(format: "%.1f", milliseconds))")
        return response
    }
}
