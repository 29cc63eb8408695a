import DRSCatalog
import DRSCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import DRSOffice
import DRSServer
import DRSStorage
import Fluent
import Testing
import Vapor

/// Collects codes of codelists (structure) or the attributes of series and observations (data).
final class SDMXCollector: NSObject, XMLParserDelegate {
    var codes: [String: Set<String>] = [:]
    var currentList: String?
    var series: [[String: String]] = []
    var observations: [[String: String]] = []
    var dimensions: [String] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "str:Codelist": currentList = attributes["id"]
        case "str:Code": if let list = currentList, let id = attributes["id"] { codes[list, default: []].insert(id) }
        case "str:Dimension": if let id = attributes["id"] { dimensions.append(id) }
        case "Series": series.append(attributes)
        case "Obs": observations.append(attributes)
        default: break
        }
    }

    static func parse(_ text: String) -> SDMXCollector? {
        let parser = XMLParser(data: Data(text.utf8))
        let collector = SDMXCollector()
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }
}

@Suite("SDMX", .serialized)
struct SDMXTests {
    @Test func theStructureListsEveryIndicatorAndTheDataConformToIt() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            try await admin.login("admin")
            let structureText = try await admin.send(.GET, "/api/v1/sdmx/structure").text
            let structure = try #require(SDMXCollector.parse(structureText), "the structure message is well-formed XML")
            let catalog = try CompiledCatalog(try CatalogLoader.load(root: TestPlatform.catalogRoot))
            var indicators = Set<String>()
            for form in catalog.orderedForms where form.form.kind != .basicInfo {
                for i in form.form.allIndicators { indicators.insert("\(form.form.id)_\(i.code)") }
            }
            #expect(structure.codes["CL_INDICATOR"] == indicators, "the DSD lists every indicator of the catalog")
            #expect(structure.dimensions == ["INDICATOR", "COLUMN", "BREAKDOWN", "REGION", "RESP_TYPE", "INDUSTRY"])

            // 2025's verified figures of the demo, by province: every key and attribute is in the DSD's codelists.
            let xml = try await admin.send(.GET, "/api/v1/sdmx/data?year=2025&form=E2&by=province,type,industry")
            #expect(xml.headers.contentType?.description.contains("structurespecificdata+xml") == true)
            let data = try #require(SDMXCollector.parse(xml.text), "the data message is well-formed XML")
            #expect(!data.series.isEmpty)
            let lists = ["INDICATOR": "CL_INDICATOR", "COLUMN": "CL_COLUMN", "BREAKDOWN": "CL_BREAKDOWN", "REGION": "CL_REGION",
                         "RESP_TYPE": "CL_RESP_TYPE", "INDUSTRY": "CL_INDUSTRY"]
            for s in data.series {
                for (dimension, list) in lists {
                    #expect(structure.codes[list]?.contains(s[dimension] ?? "") == true, "\(dimension)=\(s[dimension] ?? "nil") not in \(list)")
                }
            }
            for o in data.observations {
                #expect(structure.codes["CL_UNIT_MEASURE"]?.contains(o["UNIT_MEASURE"] ?? "") == true)
                #expect(structure.codes["CL_CONF_STATUS"]?.contains(o["CONF_STATUS"] ?? "") == true)
                #expect(o["TIME_PERIOD"] == "2025")
                #expect(Decimal(string: o["OBS_VALUE"] ?? "x") != nil)
            }
            // The national total of 数据存储总量 equals the aggregate, exactly.
            let aggregate = try await admin.send(.GET, "/api/v1/aggregate?year=2025&form=E2").json
            let cells = (aggregate["groups"] as! [[String: Any]])[0]["cells"] as! [[String: Any]]
            let total = cells.first { $0["cell"] as? String == "16:cur" }!["total"] as! String
            let index = data.series.firstIndex { $0["INDICATOR"] == "E2_16" && $0["COLUMN"] == "cur" && $0["REGION"] == "000000" && $0["RESP_TYPE"] == "_T" && $0["INDUSTRY"] == "_T" }
            #expect(index.map { data.observations[$0]["OBS_VALUE"] } == total)

            // SDMX-JSON: the same observations.
            let json = try await admin.send(.GET, "/api/v1/sdmx/data?year=2025&form=E2&by=province,type,industry&format=json").json
            let observations = ((json["dataSets"] as! [[String: Any]])[0]["observations"] as! [String: Any])
            #expect(observations.count == data.observations.count)
            #expect(try await admin.send(.GET, "/api/v1/sdmx/data?year=2025&form=E2&format=csv").errorCode == "bad_format")
            var filer = Client(app)
            try await filer.login("beijing-data")
            #expect(try await filer.send(.GET, "/api/v1/sdmx/data?year=2025&form=E2").status == .forbidden)
        }
    }
}

@Suite("Statistics-bureau package", .serialized)
struct SharingPackageTests {
    @Test func thePackageHasEveryThemeNationalAndByProvinceAndAManifest() async throws {
        try await TestPlatform.run { app in
            let catalog = try CompiledCatalog(try CatalogLoader.load(root: TestPlatform.catalogRoot))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drs-share-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try await SharingPackage.release(app.db, catalog: catalog, year: 2025, statuses: [.verified], to: folder,
                                                          destination: .nbs, maker: .init(username: "tester"))
            #expect(result.observations > 0)
            #expect(result.suppressedCells == 0)
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as! [String: Any]
            #expect(manifest["recipients"] as? [String] == ["国家统计局", "统计信息共享数据库"])
            #expect(manifest["destination"] as? String == "nbs")
            let themes = (manifest["themes"] as! [[String: Any]]).map { $0["name"] as! String }
            #expect(themes == ["数据安全", "数据流通", "数据应用", "数据供给"], "every row has a theme; none left as 其他")
            for file in manifest["files"] as! [[String: Any]] {
                let data = try Data(contentsOf: folder.appendingPathComponent(file["path"] as! String))
                #expect(data.count == file["bytes"] as? Int)
                #expect(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() == file["sha256"] as? String)
            }
            let csv = try String(contentsOf: folder.appendingPathComponent("分主题数据-2025.csv"), encoding: .utf8)
            #expect(csv.contains("数据安全,公共5表"))
            #expect(csv.contains(",北京市,"), "by province")
            #expect(!csv.contains("北京市政务服务和数据管理局"), "no single respondent")
            #expect(!csv.contains(",x,"), "the statistics bureau may receive every cell")

            // The choice is recorded: one unprotected release per form, and an audit line naming it.
            let releases = try await DisclosureRelease.query(on: app.db).all()
            #expect(!releases.isEmpty && releases.allSatisfy { $0.destination == "nbs" && $0.rulesFingerprint.isEmpty && $0.createdBy == "tester" })
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$kind == .released).first())
            #expect(audit.detail.contains("nbs") && audit.username == "tester")
        }
    }

    @Test func thePublicPackageIsProtectedAndRecordsTheRulesFingerprint() async throws {
        try await TestPlatform.run { app in
            let catalog = try CompiledCatalog(try CatalogLoader.load(root: TestPlatform.catalogRoot))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drs-share-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let protection = ReleaseProtection()
            let result = try await SharingPackage.release(app.db, catalog: catalog, year: 2025, statuses: [.verified], to: folder,
                                                          destination: .public, protection: protection, maker: .init(username: "tester"))
            #expect(result.suppressedCells > 0, "the demo's single-unit provinces are withheld")
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as! [String: Any]
            #expect(manifest["destination"] as? String == "public")
            let csv = try String(contentsOf: folder.appendingPathComponent("分主题数据-2025.csv"), encoding: .utf8)
            #expect(csv.contains(",x,"))
            #expect(csv.contains(AggregateSuppression.footnote))
            #expect(!csv.contains("FREQ") && !csv.contains("P(10"), "the rules are never published")
            let sdmx = try String(contentsOf: folder.appendingPathComponent("sdmx/P2.xml"), encoding: .utf8)
            #expect(sdmx.contains(#"CONF_STATUS="C""#))

            let releases = try await DisclosureRelease.query(on: app.db).all()
            #expect(!releases.isEmpty)
            #expect(releases.allSatisfy { $0.destination == "public" && $0.rulesFingerprint == protection.fingerprint && $0.cellsFailing == 0 })
            #expect(releases.contains { $0.primaryCells > 0 && $0.pattern != "[]" })
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$kind == .released).first())
            #expect(audit.detail.contains(protection.fingerprint) && audit.detail.contains("public"))
        }
    }
}
