import DRSCore
import Foundation

/// Puts back the `null` of every required, nullable field that a generated body left out.
///
/// swift-openapi-generator 1.14 gives a required nullable property (`"type": ["string", "null"]` in
/// `required`) the Swift type `String?` and synthesized `Codable`, which omits the key when the value is
/// nil (apple/swift-openapi-generator#934): the document says `"returnReason": null`, the type would send
/// nothing. This walks the encoded body alongside its schema in openapi.json and adds `null` for each
/// such key (and for keys made required by `dependentRequired`), in the schema's order. The document
/// decides, not a list kept by hand.
struct RequiredNulls: Sendable {
    /// `components.schemas` of the openapi.json we ship.
    let schemas: [String: JSONValue]

    /// The document served at /api/v1/openapi.json, read once.
    static let document: RequiredNulls = {
        let url = Bundle.module.bundleURL.resolvingSymlinksInPath().appendingPathComponent("Resources/openapi.json")
        guard let data = try? Data(contentsOf: url), let document = try? JSONValue.parse(bytes: [UInt8](data)) else {
            return RequiredNulls(schemas: [:])
        }
        return RequiredNulls(document: document)
    }()

    init(schemas: [String: JSONValue]) { self.schemas = schemas }

    init(document: JSONValue) {
        let members = document["components"]?["schemas"]?.objectMembers ?? []
        schemas = Dictionary(members, uniquingKeysWith: { first, _ in first })
    }

    /// The schema name of a generated type: `Components.Schemas.FormSummary` is `FormSummary`; the
    /// idiomatic naming strategy prefixes names that clash with Swift's (`Error` is `_Error`).
    static func schemaName<T>(of type: T.Type) -> String {
        let name = String(describing: type)
        return name.hasPrefix("_") ? String(name.dropFirst()) : name
    }

    /// Whether a generated type names a schema of the document (the route test checks our bodies do).
    func knows<T>(_ type: T.Type) -> Bool { schemas[Self.schemaName(of: type)] != nil }

    func fill<T>(_ value: JSONValue, schemaOf type: T.Type) -> JSONValue {
        guard let schema = schemas[Self.schemaName(of: type)] else { return value }
        return fill(value, schema, depth: 0)
    }

    /// Schemas nest no deeper than our bodies do; the bound only keeps a cyclic `$ref` from looping.
    private static let maximumDepth = 48

    func fill(_ value: JSONValue, _ schema: JSONValue, depth: Int) -> JSONValue {
        guard depth < Self.maximumDepth else { return value }
        if let target = referenced(schema) { return fill(value, target, depth: depth + 1) }
        var result = value
        for part in schema["allOf"]?.arrayValue ?? [] { result = fill(result, part, depth: depth + 1) }
        switch result {
        case .array(let items):
            guard let itemSchema = schema["items"] else { return result }
            return .array(items.map { fill($0, itemSchema, depth: depth + 1) })
        case .object(let members):
            return .object(fillObject(members, schema, depth: depth))
        default:
            return result
        }
    }

    private func fillObject(_ members: [(String, JSONValue)], _ schema: JSONValue, depth: Int) -> [(String, JSONValue)] {
        guard let properties = schema["properties"]?.objectMembers, !properties.isEmpty else { return members }
        let present = Dictionary(members, uniquingKeysWith: { first, _ in first })
        var required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        for (trigger, keys) in schema["dependentRequired"]?.objectMembers ?? [] where present[trigger] != nil {
            required.formUnion((keys.arrayValue ?? []).compactMap(\.stringValue))
        }
        var filled: [(String, JSONValue)] = []
        for (key, propertySchema) in properties {
            if let value = present[key] {
                filled.append((key, fill(value, propertySchema, depth: depth + 1)))
            } else if required.contains(key), allowsNull(propertySchema, depth: depth) {
                filled.append((key, .null))
            }
        }
        let known = Set(properties.map(\.0))
        filled += members.filter { !known.contains($0.0) }
        return filled
    }

    private func referenced(_ schema: JSONValue) -> JSONValue? {
        guard let ref = schema["$ref"]?.stringValue, ref.hasPrefix("#/components/schemas/") else { return nil }
        return schemas[String(ref.dropFirst("#/components/schemas/".count))]
    }

    private func allowsNull(_ schema: JSONValue, depth: Int) -> Bool {
        guard depth < Self.maximumDepth else { return false }
        if let target = referenced(schema) { return allowsNull(target, depth: depth + 1) }
        switch schema["type"] {
        case .string(let type): if type == "null" { return true }
        case .array(let types): if types.contains(.string("null")) { return true }
        default: break
        }
        let branches = (schema["oneOf"]?.arrayValue ?? []) + (schema["anyOf"]?.arrayValue ?? [])
        return branches.contains { allowsNull($0, depth: depth + 1) }
    }
}
