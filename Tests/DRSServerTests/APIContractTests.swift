@testable import DRSServer
import DRSCore
import Foundation
import Testing
import Vapor

/// The routes Vapor serves and the operations openapi.json describes are the same set (method and path
/// template), so the document cannot promise a path we do not serve nor miss one we do. The bodies'
/// fields are held by the types generated from the same document (DRSAPI).
@Suite("API contract", .serialized)
struct APIContractTests {
    static let documentURL: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Sources/DRSServer/Resources/openapi.json")
    }()

    static func document() throws -> JSONValue {
        try JSONValue.parse(bytes: [UInt8](try Data(contentsOf: documentURL)))
    }

    /// `GET /api/v1/units/{unitID}` for every operation of the document.
    static func documentedOperations() throws -> Set<String> {
        var operations: Set<String> = []
        for (path, item) in try document()["paths"]?.objectMembers ?? [] {
            for (method, _) in item.objectMembers ?? [] where ["get", "put", "post", "delete", "patch", "head", "options"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    /// The same for a route Vapor registered: `:unitID` is written `{unitID}`.
    static func template(_ route: Route) -> String {
        let components = route.path.map { component -> String in
            switch component {
            case .constant(let text): text
            case .parameter(let name): "{\(name)}"
            case .anything: "*"
            case .catchall: "**"
            }
        }
        return "\(route.method.rawValue) /\(components.joined(separator: "/"))"
    }

    @Test("every /api/v1 route is an operation of openapi.json, and every operation is served")
    func routesAndDocumentAgree() async throws {
        let documented = try Self.documentedOperations()
        #expect(documented.count > 30)
        try await TestPlatform.run { app in
            let served = Set(app.routes.all.map(Self.template))
            let api = served.filter { $0.split(separator: " ").last?.hasPrefix("/api/v1/") ?? false }
            #expect(api.count > 30, "the /api/v1 routes were not found")
            #expect(api.subtracting(documented).sorted() == [], "served under /api/v1 but not in openapi.json")
            #expect(documented.subtracting(served).sorted() == [], "in openapi.json but not served")
        }
    }

    @Test("a required nullable field left out by the generated Codable is sent as null")
    func requiredNullsComeBack() throws {
        let nulls = RequiredNulls(document: try Self.document())
        let formSummary = try JSONValue.parse(#"{"form":"x","tableNumber":"t","title":"T","status":"draft","statusName":"草稿","version":1}"#)
        let filled = nulls.fill(formSummary, schemaNamed: "FormSummary")
        #expect(filled["returnReason"] == .null)
        // Optional fields stay absent: `member` of a violation cell is left out when there is none.
        let cell = try JSONValue.parse(#"{"code":"01","column":"cur","name":"n"}"#)
        let filledCell = nulls.fill(cell, schemaNamed: "ViolationCell")
        #expect(filledCell["member"] == nil)
        #expect(filledCell["value"] == .null)
        // `explanation` is there exactly when `needsExplanation` is (dependentRequired).
        let violation = try JSONValue.parse(#"{"needsExplanation":true}"#)
        #expect(nulls.fill(violation, schemaNamed: "Violation")["explanation"] == .null)
        #expect(nulls.fill(.object([]), schemaNamed: "Violation")["explanation"] == nil)
        // Through `$ref`s and arrays, in the document's order: a save's answer.
        let saved = try JSONValue.parse(#"""
            {"changedCells":1,"report":{"blocksSubmission":true,"errors":[{"cells":[{"code":"01","column":"cur","name":"n"}],"form":"E5"}],
             "missing":[],"notes":[],"warnings":[]},"status":"draft","version":2}
            """#)
        let filledSave = nulls.fill(saved, schemaNamed: "SaveResult")
        #expect(filledSave.objectMembers?.map(\.0) == ["version", "status", "changedCells", "report"])
        #expect(filledSave["report"]?["errors"]?.arrayValue?.first?["cells"]?.arrayValue?.first?["value"] == .null)
    }

    @Test("a schema that refers to itself is filled at every level, and the walk ends")
    func requiredNullsFollowACycle() throws {
        let nulls = RequiredNulls(document: try JSONValue.parse(#"""
            {"components":{"schemas":{"Node":{"type":"object","required":["v"],
             "properties":{"v":{"type":["string","null"]},"next":{"$ref":"#/components/schemas/Node"}}}}}}
            """#))
        let filled = nulls.fill(try JSONValue.parse(#"{"next":{"next":{"x":1}}}"#), schemaNamed: "Node")
        #expect(filled.serialized() == #"{"v":null,"next":{"v":null,"next":{"v":null,"x":1}}}"#)
    }
}
