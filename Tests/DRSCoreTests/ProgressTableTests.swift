import DRSCore
import XCTest

final class ProgressTableTests: XCTestCase {
    func testCountsByProvinceTypeAndFormWithOverdue() {
        let a: [ProgressTable.Assignment] = [
            .init(province: "440000", type: "t", form: "P2", status: "verified"),
            .init(province: "110000", type: "t", form: "P2", status: "draft"),
            .init(province: "110000", type: "t", form: "P2", status: "submitted"),
            .init(province: "110000", type: "t", form: "P1", status: "notStarted"),
            .init(province: "110000", type: "t", form: "P2", status: "returned"),
        ]
        let before = ProgressTable(a, pastDeadline: false, order: (["110000", "440000"], ["t"], ["P1", "P2"]))
        XCTAssertEqual(before.rows.map { "\($0.province) \($0.form)" }, ["110000 P1", "110000 P2", "440000 P2"])
        XCTAssertEqual(before.rows[1].assigned, 3)
        XCTAssertEqual(before.rows[1].byStatus, [0, 1, 1, 1, 0, 0])
        XCTAssertEqual(before.rows[1].reportedPercent, 33)
        XCTAssertEqual(before.total.overdue, 0)
        XCTAssertEqual(before.total.assigned, 5)

        let after = ProgressTable(a, pastDeadline: true, order: (["110000", "440000"], ["t"], ["P1", "P2"]))
        XCTAssertEqual(after.rows.map(\.overdue), [1, 2, 0])
        XCTAssertEqual(after.total.overdue, 3)
        XCTAssertEqual(after.rows[2].reportedPercent, 100)
    }
}
