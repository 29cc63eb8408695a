import DRSCore
import Foundation
import Vapor

/// Every JSON request body is read strictly before anything decodes it (issue #11, finding 11).
///
/// Foundation's `JSONDecoder` silently keeps the last of two equal keys and the submission reader
/// (`JSONValue`) used to keep the first, so a body could be checked with one value and stored with
/// another. Both now go through `JSONValue`'s strict reader: a repeated key, a number with a leading
/// zero or nesting deeper than 64 levels is a 400 with a stable code (`duplicate_key`,
/// `invalid_number`, `too_deep`, `malformed_json`) and a Chinese message naming the key.
enum StrictJSON {
    /// Checks a request body; throws the 400 to answer with.
    static func check(_ body: ByteBuffer) throws {
        do { try JSONValue.validate(bytes: body.readableBytesView) } catch { throw apiError(error) }
    }

    static func apiError(_ error: JSONSyntaxError) -> APIError {
        .badRequest(error.code, error.description, details: error.path.isEmpty ? nil : ["path": AnyCodable(error.path)])
    }
}

/// Vapor's JSON decoder for `application/json` bodies, behind the strict check: registered in
/// `configure`, so every `req.content.decode(…)` of JSON is strict, whichever controller asks.
struct StrictJSONDecoder: ContentDecoder {
    /// What Vapor uses by default for JSON (ISO 8601 dates).
    let decoder = JSONDecoder.custom(dates: .iso8601)

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(D.self, from: body, headers: headers, userInfo: [:])
    }

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
                              userInfo: [CodingUserInfoKey: any Sendable]) throws -> D {
        try StrictJSON.check(body)
        return try decoder.decode(D.self, from: body, headers: headers, userInfo: userInfo)
    }
}
