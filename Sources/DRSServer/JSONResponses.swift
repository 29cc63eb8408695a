import DRSAPI
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
    /// An error body, built as the document's `Error`. Details are JSON objects by construction here, so
    /// the typed path cannot fail in practice; should it, the same envelope is written by hand.
    static func errorBody(_ code: String, _ message: String, _ details: [(String, JSONValue)] = []) -> JSONValue {
        let typed = try? APIBodyEncoding.json(Components.Schemas._Error(code: code, message: message, details: .object(details)))
        return typed ?? .object([("error", .object([("code", .string(code)), ("message", .string(message)), ("details", .object(details))]))])
    }
}

extension AuditEvent {
    /// The event as the API answers it (`AuditEvent`).
    var body: Components.Schemas.AuditEvent {
        get throws {
            Components.Schemas.AuditEvent(at: at, username: username, address: address, kind: try APIEnum.convert(kind),
                                          cell: cell, old: oldValue, new: newValue, detail: detail)
        }
    }
}
