import DRSCatalog
import DRSCore
import Foundation
import Testing

@Suite("Catalog round trip", .serialized)
struct CatalogImportTests {
    func temporaryRoot() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drs-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The shipped catalog, exported, edited as next year's office would (a new sub-item of 数据生产总量
    /// and the rule 01 ≥ 02 + 03 extended to it), imported, loaded and filled — no code involved.
    @Test func aModifiedCatalogIsImportedAndFilled() throws {
        let exported = try CatalogExport(Shipped.catalog.catalog).encoded()
        var document = try JSONSerialization.jsonObject(with: exported) as! [String: Any]
        var survey = document["survey"] as! [String: Any]
        survey["edition"] = "2027"
        document["survey"] = survey
        var forms = document["forms"] as! [[String: Any]]
        let p2 = forms.firstIndex { $0["id"] as? String == "P2" }!
        var indicators = forms[p2]["indicators"] as! [[String: Any]]
        let after = indicators.firstIndex { $0["code"] as? String == "03" }!
        indicators.insert(["code": "99", "name": "人工录入数据总量", "unit": "TB", "parent": "01", "section": indicators[after]["section"]!,
                           "columns": ["cum", "cur", "prev"], "aggregation": ["method": "sum"], "definition": "是指人工录入形成的数据总量。"], at: after + 1)
        forms[p2]["indicators"] = indicators
        var rules = forms[p2]["rules"] as! [[String: Any]]
        let rule = rules.firstIndex { $0["id"] as? String == "P2-01" }!
        rules[rule]["expr"] = "[01] >= [02] + [03] + [99]"
        forms[p2]["rules"] = rules
        document["forms"] = forms
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }

        let result = try CatalogImport.run(try JSONSerialization.data(withJSONObject: document), into: root)
        #expect(result.edition == "2027")
        #expect(result.forms == 13)
        let loaded = try CompiledCatalog(try CatalogLoader.load(edition: root.appendingPathComponent("2027")))
        #expect(loaded.forms["P2"]?.form.indicator("99")?.name == "人工录入数据总量")

        // Filled: 100 ≥ 50 + 40 held under last year's rule; with the new row of 20 it does not.
        let submission = #"{"form":"P2","year":2026,"values":{"01":{"cum":"100"},"02":{"cum":"50"},"03":{"cum":"40"},"99":{"cum":"20"}}}"#
        let report = loaded.check(try SubmissionReader.read(submission, catalog: loaded))
        #expect(report.errors.contains { $0.ruleID == "P2-01" && $0.message.contains("人工录入数据总量[99]") })
        let old = Shipped.catalog.check(try SubmissionReader.read(#"{"form":"P2","year":2026,"values":{"01":{"cum":"100"},"02":{"cum":"50"},"03":{"cum":"40"}}}"#,
                                                                   catalog: Shipped.catalog))
        #expect(!old.errors.contains { $0.ruleID == "P2-01" })

        // Importing the same edition again is refused unless replacing.
        #expect(throws: CatalogFileError.self) { try CatalogImport.run(try JSONSerialization.data(withJSONObject: document), into: root) }
    }

    @Test func anInvalidCatalogWritesNothing() throws {
        let exported = try CatalogExport(Shipped.catalog.catalog).encoded()
        var document = try JSONSerialization.jsonObject(with: exported) as! [String: Any]
        var forms = document["forms"] as! [[String: Any]]
        var rules = forms[1]["rules"] as! [[String: Any]]
        rules[0]["expr"] = "[01] >= [77] +"
        forms[1]["rules"] = rules
        document["forms"] = forms
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try CatalogImport.run(try JSONSerialization.data(withJSONObject: document), into: root)
            Issue.record("an unparsable rule was imported")
        } catch let error as CatalogFileError {
            #expect(error.reason.contains("目录校验未通过"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
        #expect(throws: CatalogFileError.self) { try CatalogImport.run(Data("{\"survey\":1}".utf8), into: root) }
    }
}
