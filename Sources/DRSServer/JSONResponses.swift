import DRSCore
import DRSStorage
import Foundation
import Vapor

/// Our exact JSON (numbers as written, Chinese unescaped) as a response body.
extension JSONValue: AsyncResponseEncodable {
    public func encodeResponse(for request: Request) async throws -> Response { response(status: .ok) }

    func response(status: HTTPResponseStatus) -> Response {
        let response = Response(status: status, body: .init(buffer: ByteBuffer(bytes: serializedBytes())))
        response.headers.contentType = .json
        return response
    }
}

extension JSONValue {
    static func string(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    /// An integer as a JSON number (public: the HTTP benchmark, in its own module, writes its results with it).
    public static func int(_ i: Int) -> JSONValue { .number(String(i)) }

    static func errorBody(_ code: String, _ message: String, _ details: [(String, JSONValue)] = []) -> JSONValue {
        .object([("error", .object([("code", .string(code)), ("message", .string(message)), ("details", .object(details))]))])
    }
}

extension CheckReport {
    var json: JSONValue {
        .object([
            ("errors", .array(errors.map(\.json))),
            ("warnings", .array(warnings.map(\.json))),
            ("blocksSubmission", .bool(blocksSubmission)),
        ])
    }
}

extension AuditEvent {
    var json: JSONValue {
        .object([
            ("at", .string(ISO8601DateFormatter().string(from: at))), ("username", .string(username)), ("address", .string(address)),
            ("kind", .string(kind.rawValue)), ("cell", .string(cell)), ("old", .string(oldValue)), ("new", .string(newValue)),
            ("detail", .string(detail)),
        ])
    }
}
