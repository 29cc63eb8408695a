import DRSCore
import Foundation
import Synchronization

/// Puts back the `null` of every required, nullable field that a generated body left out.
///
/// swift-openapi-generator 1.14 gives a required nullable property (`"type": ["string", "null"]` in
/// `required`) the Swift type `String?` and synthesized `Codable`, which omits the key when the value is
/// nil (apple/swift-openapi-generator#934): the document says `"returnReason": null`, the type would send
/// nothing. This walks the encoded body alongside its schema in openapi.json and adds `null` for each
/// such key (and for keys made required by `dependentRequired`), in the schema's order. The document
/// decides, not a list kept by hand.
///
/// Every answer of the API passes here, a save's included, so the schemas are compiled once into
/// `SchemaPlan`s: the walk then looks nothing up in the document.
struct RequiredNulls: Sendable {
    /// `components.schemas` of the openapi.json we ship, compiled.
    let plans: [String: SchemaPlan]

    /// The document served at /api/v1/openapi.json, read once.
    static let document: RequiredNulls = {
        let url = Bundle.module.bundleURL.resolvingSymlinksInPath().appendingPathComponent("Resources/openapi.json")
        guard let data = try? Data(contentsOf: url), let document = try? JSONValue.parse(bytes: [UInt8](data)) else {
            return RequiredNulls(document: .object([]))
        }
        return RequiredNulls(document: document)
    }()

    init(document: JSONValue) {
        let members = document["components"]?["schemas"]?.objectMembers ?? []
        plans = SchemaPlan.compile(Dictionary(members, uniquingKeysWith: { first, _ in first }))
    }

    /// The schema name of a generated type: `Components.Schemas.FormSummary` is `FormSummary`; the
    /// idiomatic naming strategy prefixes names that clash with Swift's (`Error` is `_Error`).
    static func schemaName<T>(of type: T.Type) -> String {
        let key = ObjectIdentifier(type)
        if let name = names.withLock({ $0[key] }) { return name }
        let described = String(describing: type)
        let name = described.hasPrefix("_") ? String(described.dropFirst()) : described
        names.withLock { $0[key] = name }
        return name
    }

    /// Names already worked out: `String(describing:)` of a type is slow, and the types are few.
    private static let names = Mutex<[ObjectIdentifier: String]>([:])

    /// Whether a generated type names a schema of the document (the route test checks our bodies do).
    func knows<T>(_ type: T.Type) -> Bool { plans[Self.schemaName(of: type)] != nil }

    func fill<T>(_ value: JSONValue, schemaOf type: T.Type) -> JSONValue {
        fill(value, schemaNamed: Self.schemaName(of: type))
    }

    func fill(_ value: JSONValue, schemaNamed name: String) -> JSONValue {
        guard let plan = plans[name] else { return value }
        return Self.fill(value, plan, depth: 0)
    }

    /// Schemas nest no deeper than our bodies do; the bound only keeps a cyclic `$ref` from looping.
    static let maximumDepth = 48

    private static func fill(_ value: JSONValue, _ plan: SchemaPlan, depth: Int) -> JSONValue {
        guard depth < maximumDepth else { return value }
        var result = value
        for part in plan.parts { result = fill(result, part, depth: depth + 1) }
        switch result {
        case .array(let items):
            guard let itemPlan = plan.items else { return result }
            return .array(items.map { fill($0, itemPlan, depth: depth + 1) })
        case .object(let members):
            return .object(fillObject(members, plan, depth: depth))
        default:
            return result
        }
    }

    private static func fillObject(_ members: [(String, JSONValue)], _ plan: SchemaPlan, depth: Int) -> [(String, JSONValue)] {
        guard !plan.properties.isEmpty else { return members }
        // The first member of a key, as a dictionary would keep it; looked for one by one in a small object.
        let index: [String: Int]? = members.count > 8
            ? Dictionary(members.enumerated().map { ($0.element.0, $0.offset) }, uniquingKeysWith: { first, _ in first }) : nil
        func present(_ key: String) -> JSONValue? {
            if let index { return index[key].map { members[$0].1 } }
            return members.first { $0.0 == key }?.1
        }
        var required = plan.required
        for (trigger, keys) in plan.dependentRequired where present(trigger) != nil { required.formUnion(keys) }
        var filled: [(String, JSONValue)] = []
        filled.reserveCapacity(members.count)
        for property in plan.properties {
            if let value = present(property.key) {
                filled.append((property.key, fill(value, property.plan, depth: depth + 1)))
            } else if property.nullable, required.contains(property.key) {
                filled.append((property.key, .null))
            }
        }
        filled += members.filter { !plan.known.contains($0.0) }
        return filled
    }
}

/// One schema of the document as `RequiredNulls` walks it: its `allOf` parts, its items, its
/// properties in the document's order with whether each admits `null`, what it requires. A `$ref` is
/// the plan of the schema it names (one plan per named schema, so a cycle is a cycle of plans).
/// Built once, before any request, and never changed after `compile` returns.
final class SchemaPlan: @unchecked Sendable {
    fileprivate(set) var parts: [SchemaPlan] = []
    fileprivate(set) var items: SchemaPlan?
    fileprivate(set) var properties: [(key: String, plan: SchemaPlan, nullable: Bool)] = []
    fileprivate(set) var known: Set<String> = []
    fileprivate(set) var required: Set<String> = []
    fileprivate(set) var dependentRequired: [(trigger: String, keys: [String])] = []

    /// The plans of `components.schemas`, by name.
    static func compile(_ schemas: [String: JSONValue]) -> [String: SchemaPlan] {
        var compiler = Compiler(schemas: schemas)
        for name in schemas.keys { _ = compiler.named(name) }
        return compiler.plans
    }

    private struct Compiler {
        let schemas: [String: JSONValue]
        var plans: [String: SchemaPlan] = [:]

        mutating func named(_ name: String) -> SchemaPlan {
            if let plan = plans[name] { return plan }
            let plan = SchemaPlan()
            plans[name] = plan   // before its parts: a schema that refers back to itself finds it
            fill(plan, from: schemas[name] ?? .object([]))
            return plan
        }

        mutating func plan(_ schema: JSONValue) -> SchemaPlan {
            if let name = referencedName(schema) { return named(name) }
            let plan = SchemaPlan()
            fill(plan, from: schema)
            return plan
        }

        mutating func fill(_ plan: SchemaPlan, from schema: JSONValue) {
            if let name = referencedName(schema) {
                plan.parts = [named(name)]
                return
            }
            plan.parts = (schema["allOf"]?.arrayValue ?? []).map { self.plan($0) }
            plan.items = schema["items"].map { self.plan($0) }
            for (key, propertySchema) in schema["properties"]?.objectMembers ?? [] {
                plan.properties.append((key, self.plan(propertySchema), allowsNull(propertySchema, depth: 0)))
            }
            plan.known = Set(plan.properties.map(\.key))
            plan.required = Set((schema["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            plan.dependentRequired = (schema["dependentRequired"]?.objectMembers ?? []).map { ($0.0, ($0.1.arrayValue ?? []).compactMap(\.stringValue)) }
        }

        func referencedName(_ schema: JSONValue) -> String? {
            guard let ref = schema["$ref"]?.stringValue, ref.hasPrefix("#/components/schemas/") else { return nil }
            return String(ref.dropFirst("#/components/schemas/".count))
        }

        func allowsNull(_ schema: JSONValue, depth: Int) -> Bool {
            guard depth < RequiredNulls.maximumDepth else { return false }
            if let name = referencedName(schema) { return schemas[name].map { allowsNull($0, depth: depth + 1) } ?? false }
            switch schema["type"] {
            case .string(let type): if type == "null" { return true }
            case .array(let types): if types.contains(.string("null")) { return true }
            default: break
            }
            let branches = (schema["oneOf"]?.arrayValue ?? []) + (schema["anyOf"]?.arrayValue ?? [])
            return branches.contains { allowsNull($0, depth: depth + 1) }
        }
    }
}
