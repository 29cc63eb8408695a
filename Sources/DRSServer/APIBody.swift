import DRSCore
import Foundation
import Vapor

/// A response body of the API, typed by the document: a value of a generated `Components.Schemas` type
/// (DRSAPI), so a handler cannot add a field openapi.json lacks nor forget a required one.
///
/// Encoded once here: a `JSONEncoder` without escaped slashes and with ISO 8601 dates (`2026-03-10T08:00:00Z`,
/// as the audit trail has always been written), then `RequiredNulls` puts back the `null`s of required
/// nullable fields that the generated `Codable` leaves out, and our own serializer writes the bytes
/// (Chinese unescaped, numbers as written), as every JSON answer of the API always has.
struct APIBody<Body: Encodable & Sendable>: AsyncResponseEncodable, Sendable {
    var body: Body
    var status: HTTPResponseStatus

    init(_ body: Body, status: HTTPResponseStatus = .ok) {
        self.body = body
        self.status = status
    }

    func encodeResponse(for request: Request) async throws -> Response { try response() }

    /// The response, for handlers that answer with a `Response` (a status other than 200, headers).
    func response() throws -> Response {
        let json = try APIBodyEncoding.json(body)
        let response = Response(status: status, body: .init(buffer: ByteBuffer(bytes: json.serializedBytes())))
        response.headers.contentType = .json
        return response
    }
}

/// The one encoder configuration of API bodies (see `APIBody`).
enum APIBodyEncoding {
    /// The body as JSON, with the `null`s its schema requires.
    static func json<Body: Encodable>(_ body: Body) throws -> JSONValue {
        let encoder = JSONEncoder()
        // Sorted keys only for determinism of the free-form maps (figures by row code, answers by item):
        // `RequiredNulls` lays every object the document declares out in the document's order.
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let bytes = [UInt8](try encoder.encode(body))
        let encoded: JSONValue
        do { encoded = try JSONValue.parse(bytes: bytes) } catch { throw Abort(.internalServerError, reason: "\(error)") }
        return RequiredNulls.document.fill(encoded, schemaOf: Body.self)
    }
}

/// Our domain enums and the document's enums share their raw values (`draft`, `admin`, …).
enum APIEnum {
    /// The document's case of one of our values; a value the document lacks is our bug, answered as 500.
    static func convert<Ours: RawRepresentable, Theirs: RawRepresentable>(_ value: Ours, to: Theirs.Type = Theirs.self) throws -> Theirs
    where Ours.RawValue == String, Theirs.RawValue == String {
        guard let converted = Theirs(rawValue: value.rawValue) else {
            throw Abort(.internalServerError, reason: "openapi.json has no \(Theirs.self) '\(value.rawValue)'")
        }
        return converted
    }
}
