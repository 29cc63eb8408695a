import DRSAPI
import DRSCore
@testable import DRSServer
@testable import DRSStorage
import DRSWorkflow
import Foundation
import Testing

/// A review queue's page is written straight into the JSON tree (`QueueJSON.swift`); it must be the
/// tree the generated types give through `APIBodyEncoding.json`, member for member and in the same
/// order, for items and pages of every shape.
@Suite("A review queue's page written directly")
struct QueueJSONTests {
    /// Items in every status, returned and not, with and without unknown cells, with one type and
    /// several, and text JSON must escape.
    static func items() -> [ReviewQueue.Item] {
        let names = ["示例数据技术企业00001", "名称带\"引号\"与\\反斜杠", "换行\n制表\t</script><b>", "ASCII & Co."]
        let reasons: [String?] = [nil, "请核对第02行（与上年相差过大）", "\"quoted\"\n第二行", ""]
        let typeLists = ["dataTechEnterprise", "centralEnterprise,dataGroup", "provincialDataDept"]
        return SubmissionStatus.allCases.enumerated().flatMap { index, status in
            (0..<4).map { variant -> ReviewQueue.Item in
                let unitID = UUID()
                let unit = SurveyUnit(id: unitID, creditCode: "91440300MA5\(index)\(variant)XXXXX", name: names[variant],
                                      regionCode: ["110000", "440300", "650100", "659001"][variant], types: typeLists[(index + variant) % 3].split(separator: ",").map(String.init))
                let head = SubmissionHead(id: UUID(), unitID: unitID, formID: ["P2", "E5", "E4", "I1"][variant], year: 2025 + variant % 2,
                                          status: status, version: index * 10 + variant, returnReason: reasons[(index + variant) % 4])
                return ReviewQueue.Item(unit: unit, unitID: unitID, submission: head, formTitle: "数据资源情况（\(variant)）",
                                        tableNumber: "企业\(variant)表", errors: variant, warnings: index, unexplained: variant % 2,
                                        missing: 7, unknownCells: variant == 2 ? ["99:cur", "01:cur@\"x\""] : [],
                                        isClean: variant == 0)
            }
        }
    }

    @Test func everyItemIsTheGeneratedTypesTree() throws {
        for item in Self.items() {
            let generated = try APIBodyEncoding.json(try item.body)
            #expect(try item.json == generated)
            #expect(try item.json.serialized() == generated.serialized())
        }
    }

    @Test func pagesFlaggedOrNotAreTheGeneratedTypesTree() throws {
        let items = Self.items()
        for (slice, unchecked) in [(items[...], nil), (items[0..<1], 0), (items[0..<0], 12), (items[3..<9], nil)] as [(ArraySlice<ReviewQueue.Item>, Int?)] {
            let window = PageWindow(page: 2, size: 50, total: 117)
            let generated = try APIBodyEncoding.json(Components.Schemas.ReviewQueue(
                items: try slice.map { try $0.body }, total: window.total, page: window.page, pageSize: window.size,
                pages: window.pages, unchecked: unchecked))
            let direct = try ReviewQueue.json(items: Array(slice), window: window, unchecked: unchecked)
            #expect(direct == generated)
            #expect(direct.serialized() == generated.serialized())
        }
    }
}

extension ReviewQueue.Item {
    /// The item through the generated type: what the API answered before `QueueJSON.swift`.
    var body: Components.Schemas.ReviewQueueItem {
        get throws {
            Components.Schemas.ReviewQueueItem(
                unit: .init(id: unitID.uuidString, name: unit.name, creditCode: unit.creditCode, region: unit.regionCode, types: unit.typeList),
                form: submission.formID, tableNumber: tableNumber, title: formTitle, year: submission.year,
                status: try APIEnum.convert(submission.status), statusName: submission.status.chineseName, version: submission.version,
                errors: errors, warnings: warnings, unexplained: unexplained, returnReason: submission.returnReason, url: url,
                unknownCells: unknownCells.isEmpty ? nil : unknownCells)
        }
    }
}
