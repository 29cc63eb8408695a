import MultipartKit
import Vapor

/// Multipart bodies only where files are taken. multipart-kit 4.7 traps on a part-header name byte
/// ≥ 0x80 (it indexes a 128-entry table with it), so one anonymous 55-byte request could end the
/// process. Routes that take no files refuse every multipart body with 415 before anything reads it;
/// the routes that take files (marked with `acceptMultipart`) get their part headers checked first
/// (`CheckedFormDataDecoder`, installed for every multipart/form-data decoding).
struct MultipartGuardMiddleware: Middleware {
    static let userInfoKey = "acceptsMultipart"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if let type = request.headers.contentType, type.type.lowercased() == "multipart",
           request.route?.userInfo[Self.userInfoKey] as? Bool != true {
            return request.eventLoop.makeFailedFuture(APIError(status: .unsupportedMediaType, code: "unsupported_media_type",
                                                               message: "此接口不接受 multipart 上传，请以 JSON 或表单提交"))
        }
        return next.respond(to: request)
    }

    /// Marks the routes that take files. Throws when a route is missing, so a renamed route is
    /// noticed at start rather than silently refusing its uploads.
    static func accept(_ routes: [(HTTPMethod, String)], in app: Application) throws {
        for (method, path) in routes {
            let matching = app.routes.all.filter { $0.method == method && "/" + $0.path.map(\.description).joined(separator: "/") == path }
            guard !matching.isEmpty else { throw Abort(.internalServerError, reason: "no route \(method) \(path) to accept multipart") }
            for route in matching { route.userInfo[userInfoKey] = true }
        }
    }
}

/// Vapor's multipart/form-data decoder, after a check of every part's header names: only visible
/// ASCII, as RFC 7230 tokens are, and nothing multipart-kit would index its table with.
struct CheckedFormDataDecoder: ContentDecoder {
    let decoder = FormDataDecoder()

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(D.self, from: body, headers: headers, userInfo: [:])
    }

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
                              userInfo: [CodingUserInfoKey: any Sendable]) throws -> D {
        guard let boundary = headers.contentType?.parameters["boundary"], !boundary.isEmpty else {
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "multipart 请求缺少 boundary")
        }
        guard MultipartHeaderCheck.headerNamesAreASCII(body.readableBytesView, boundary: Array(boundary.utf8)) else {
            throw APIError.badRequest("malformed_multipart", "上传内容的分段头格式不正确")
        }
        return try decoder.decode(D.self, from: body, headers: headers, userInfo: userInfo)
    }
}

/// A conservative scan of a multipart body: after every occurrence of `--boundary` (wherever
/// multipart-kit could start reading part headers, and more), each header line's name — the bytes
/// before its colon — must be below 0x80.
enum MultipartHeaderCheck {
    static func headerNamesAreASCII<C: Collection>(_ body: C, boundary: [UInt8]) -> Bool where C.Element == UInt8, C.Index == Int {
        let delimiter: [UInt8] = [45, 45] + boundary
        let bytes = body
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i + delimiter.count <= end {
            guard matches(bytes, at: i, delimiter) else { i += 1; continue }
            var j = i + delimiter.count
            // The rest of the boundary line.
            while j < end, bytes[j] != 10 { j += 1 }
            j += 1
            // Header lines up to the empty line: in each, the name runs to the colon.
            var inName = true
            while j < end {
                let byte = bytes[j]
                if byte == 10 {
                    if inName { break }        // an empty line (or a line without a colon): the headers end
                    inName = true
                } else if inName {
                    if byte == 58 { inName = false }           // ':' ends the name (CR, LF end the line)
                    else if byte >= 0x80 { return false }
                }
                j += 1
            }
            i += delimiter.count
        }
        return true
    }

    private static func matches<C: Collection>(_ bytes: C, at i: Int, _ pattern: [UInt8]) -> Bool where C.Element == UInt8, C.Index == Int {
        for (k, b) in pattern.enumerated() where bytes[i + k] != b { return false }
        return true
    }
}
