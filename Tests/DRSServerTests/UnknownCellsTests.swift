@testable import DRSServer
import DRSCatalog
import DRSCore
@testable import DRSOffice
import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor

/// Cells the catalog does not define never vanish without a word: a filer who sends one is refused,
/// naming it; one found in storage (figures kept under an older catalog, or written by an import)
/// is shown to the reviewer and the filer.
@Suite("Unknown cells", .serialized)
struct UnknownCellsTests {
    @Test func aFilersUnknownCellIsRefusedNamingIt() async throws {
        try await TestPlatform.run { app in
            var beijing = Client(app)
            try await beijing.login("beijing-data")
            let reply = try await beijing.send(.PUT, beijing.submissionPath("P2"), json: #"{"version":0,"values":{"99":{"cur":"5"}}}"#)
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorCode == "invalid_input")
            #expect(reply.errorMessage?.contains("99") == true, "\(reply.text)")
        }
    }

    @Test func anUnknownStoredCellIsShownToTheReviewerAndTheFiler() async throws {
        try await TestPlatform.run { app in
            var beijing = Client(app), reviewer = Client(app)
            try await beijing.login("beijing-data")
            try await reviewer.login("review-beijing")
            try await fillAndSubmit(&beijing, "P2")
            // As if stored under an older catalog that had an indicator 99.
            let unitID = try #require(beijing.unitID.flatMap(UUID.init(uuidString:)))
            let stored = try #require(try await Submission.query(on: app.db).filter(\.$unit.$id == unitID).filter(\.$formID == "P2")
                .filter(\.$year == 2026).first())
            var cells = SubmissionStore.decode(stored.cells)
            cells["99:cur"] = "5"
            stored.cells = SubmissionStore.encode(cells)
            stored.version += 1   // as every write does: the check kept at submission is then out of date
            try await stored.save(on: app.db)

            let queue = try #require(try await reviewer.send(.GET, "/api/v1/review/queue?year=2026&status=submitted").json["items"] as? [[String: Any]])
            let item = try #require(queue.first { $0["form"] as? String == "P2" && ($0["unit"] as? [String: Any])?["id"] as? String == beijing.unitID })
            #expect(item["unknownCells"] as? [String] == ["99:cur"])
            // The other items are as before: no field at all.
            #expect(queue.filter { $0["unknownCells"] != nil }.count == 1)

            let note = "存储的数据中有本版目录未定义的单元格：99:cur"
            let page = try await beijing.send(.GET, "/units/\(unitID.uuidString)/2026/P2")
            #expect(page.status == .ok)
            #expect(page.text.contains(note))
            let review = try await reviewer.send(.GET, "/review/units/\(unitID.uuidString)/2026/P2")
            #expect(review.status == .ok)
            #expect(review.text.contains(note))
        }
    }
}

/// The national aggregation reads past stored cells the form does not define, and lists them.
@Suite struct AggregateUnknownCellsTests {
    @Test func theAggregationListsTheUnknownStoredCellsOfEachUnit() throws {
        let catalog = try CompiledCatalog(try CatalogLoader.load(root: TestPlatform.catalogRoot))
        let form = try #require(catalog.forms["P2"])
        let unitID = UUID()
        let unit = SurveyUnit(id: unitID, creditCode: "11110000000000000X", name: "测试单位", regionCode: "110000", types: ["public"])
        let now = StoredFigures(unitID: unitID, year: 2026, cells: SubmissionStore.encode(["99:cur": "5"]))
        let last = StoredFigures(unitID: unitID, year: 2025, cells: SubmissionStore.encode(["98:cur": "x"]))
        let input = AggregateInputs.decode(form: form, catalog: catalog, submissions: [now], lastByUnit: [unitID: last],
                                           units: [unitID: try UnitFacts(unit)])
        #expect(input.records.count == 1)
        #expect(input.unknownCells.map(\.year) == [2026, 2025])
        #expect(input.unknownCells.map(\.cells.keys) == [["99:cur"], ["98:cur"]])
        #expect(input.unknownCells.first?.text == "测试单位 2026年：存储的数据中有本版目录未定义的单元格：99:cur")
    }
}
