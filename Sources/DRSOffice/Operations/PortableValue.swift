import Foundation
import SQLKit

/// One stored value read by its column's kind, the same whichever engine it came from: what
/// `drs migrate-db` writes into PostgreSQL and what it compares afterwards.
enum PortableValue: Sendable {
    case null
    case uuid(UUID)
    case text(String)
    case integer(Int64)
    case boolean(Bool)
    case timestamp(Date)
    case double(Double)
    case json(String)
    case bytes(Data)

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// The value of `column` in `row`, read as `kind`.
    static func read(_ row: any SQLRow, column: String, kind: PortableSchema.Kind) throws -> PortableValue {
        if try row.decodeNil(column: column) { return .null }
        do {
            switch kind {
            case .uuid: return .uuid(try row.decode(column: column, as: UUID.self))
            case .text: return .text(try row.decode(column: column, as: String.self))
            case .integer: return .integer(try row.decode(column: column, as: Int64.self))
            case .boolean: return .boolean(try row.decode(column: column, as: Bool.self))
            case .timestamp: return .timestamp(try row.decode(column: column, as: Date.self))
            case .double: return .double(try row.decode(column: column, as: Double.self))
            case .bytes: return .bytes(try row.decode(column: column, as: Data.self))
            case .json:
                // SQLite keeps JSON as text (older drivers: as a blob); PostgreSQL's is selected as text.
                if let text = try? row.decode(column: column, as: String.self) { return .json(text) }
                return .json(String(decoding: try row.decode(column: column, as: Data.self), as: UTF8.self))
            }
        } catch {
            throw Unreadable(description: "列 \(column) 的值不能按 \(kind.rawValue) 读出：\(error)")
        }
    }

    /// The value as PostgreSQL receives it: a typed bind (JSON cast to `jsonb`).
    var expression: any SQLExpression {
        switch self {
        case .null: SQLLiteral.null
        case .uuid(let value): SQLBind(value)
        case .text(let value): SQLBind(value)
        case .integer(let value): SQLBind(value)
        case .boolean(let value): SQLBind(value)
        case .timestamp(let value): SQLBind(value)
        case .double(let value): SQLBind(value)
        case .json(let value): JSONBBind(text: value)
        case .bytes(let value): SQLBind(value)
        }
    }

    /// The bytes that stand for the value in a checksum: a tag, then a text both engines agree on.
    /// Times to the microsecond (all PostgreSQL keeps); JSON with sorted keys (`jsonb` reorders them).
    var canonicalBytes: Data {
        switch self {
        case .null: Data("N".utf8)
        case .uuid(let value): Data(("U" + value.uuidString.lowercased()).utf8)
        case .text(let value): Data(("S" + value).utf8)
        case .integer(let value): Data("I\(value)".utf8)
        case .boolean(let value): Data((value ? "Bt" : "Bf").utf8)
        case .timestamp(let value): Data("T\(Int64((value.timeIntervalSince1970 * 1_000_000).rounded()))".utf8)
        case .double(let value): Data("D\(value)".utf8)
        case .json(let value): Data("J".utf8) + Self.canonicalJSON(value)
        case .bytes(let value): Data("X".utf8) + value
        }
    }

    static func canonicalJSON(_ text: String) -> Data {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]) else {
            return Data(text.utf8)
        }
        return data
    }
}

/// `$n::jsonb`: a JSON text bound as a parameter and cast by PostgreSQL.
struct JSONBBind: SQLExpression {
    var text: String

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(bind: text)
        serializer.write("::jsonb")
    }
}
