import DRSServer
import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor

/// Audit lines written in multi-row statements read back as Fluent wrote them, and their ids are
/// time-ordered version-7 UUIDs.
@Suite struct AuditInsertTests {
    @Test func linesWrittenInBatchesReadBackExactly() async throws {
        try await TestPlatform.run { app in
            let at = Date(timeIntervalSince1970: 1_790_000_000.25)
            let submission = UUID(), unit = UUID()
            let marker = "批量写入测试 \(UUID().uuidString)"
            let lines = (0..<1_201).map { i in
                AuditEvent(at: at, userID: i % 2 == 0 ? nil : unit, username: "导入", address: "127.0.0.1",
                           kind: i == 0 ? .statusChanged : .valueChanged, submissionID: i % 3 == 0 ? nil : submission, unitID: unit,
                           cell: "\(i):cur", oldValue: i % 5 == 0 ? nil : "旧\(i)", newValue: "\(i).5", detail: marker)
            }
            try await AuditEvent.insert(lines, on: app.db)
            let stored = try await AuditEvent.query(on: app.db).filter(\.$detail == marker).all()
            #expect(stored.count == lines.count)
            let byCell = Dictionary(uniqueKeysWithValues: stored.compactMap { e in e.cell.map { ($0, e) } })
            for line in lines {
                let row = try #require(byCell[line.cell ?? ""])
                #expect(row.at == line.at && row.userID == line.userID && row.username == line.username && row.address == line.address)
                #expect(row.kind == line.kind && row.submissionID == line.submissionID && row.unitID == line.unitID)
                #expect(row.oldValue == line.oldValue && row.newValue == line.newValue)
            }
            #expect(Set(stored.compactMap(\.id)).count == lines.count)
        }
    }

    @Test func idsAreVersionSevenAndOrderedByTime() {
        let early = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_790_000_000))
        let later = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_790_000_000.002))
        for id in [early, later] {
            let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 7 && bytes[8] >> 6 == 0b10)
        }
        #expect(early.uuidString < later.uuidString)
        #expect(early.uuidString.hasPrefix("01A0C450-6C00"), "48 bits of Unix milliseconds first")
        #expect(TimeOrderedID.make() != TimeOrderedID.make())
    }
}
