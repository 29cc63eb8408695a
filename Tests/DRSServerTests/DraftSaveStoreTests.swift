import DRSApplication
@testable import DRSStorage
import Fluent
import Foundation
import Testing

/// A draft's save as the store writes it, on SQLite (through its writer) and on PostgreSQL (the row
/// read, then one statement for the row and its audit): the audit holds one line per changed value
/// and status with the actor or the platform's own name; of two saves over the same version exactly
/// one is written; a refused save writes neither figures nor audit lines.
@Suite("A draft's save in the store", .serialized)
struct DraftSaveStoreTests {
    @Test func saveWritesTheRowAndItsAuditOrNeither() async throws {
        try await TestPlatform.withSession { session in
            let store = session.submissionStore()
            let unit = SurveyUnit(creditCode: "S\(UUID().uuidString.prefix(12))", name: "保存测试单位", regionCode: "110000", types: ["dataTechEnterprise"])
            try await unit.create(on: session.db)
            let id = try await store.draftID(unitID: try unit.requireID(), formID: "E5", year: 2026)
            let person = Actor(userID: nil, username: "filer", address: "10.0.0.1")
            func audit() async throws -> [AuditEvent] { try await AuditEvent.query(on: session.db).filter(\.$submissionID == id).all() }

            // A first save whose carried-over figure is labelled 摘抄: every line of that cell has no user.
            let label = AuditLabel(cells: ["01|prev"], username: SystemAudit.username, detail: SystemAudit.carryOver)
            let first = try await store.saveDraft(id: id, expectedVersion: 0, cells: ["01|cur": "12.50", "01|prev": "7"],
                                                  explanations: ["01|cur": "新业务"], answers: nil, actor: person, label: label)
            #expect(first.version == 1 && first.status == .draft && first.changes.map(\.cell) == ["01|cur", "01|prev"])
            let lines = try await audit()
            #expect(lines.count == 4, "two figures, one explanation, the status: \(lines.map { $0.cell ?? "" })")
            let carried = try #require(lines.first { $0.cell == "01|prev" })
            #expect(carried.username == SystemAudit.username && carried.userID == nil && carried.detail == SystemAudit.carryOver)
            #expect(carried.newValue == "7" && carried.oldValue == nil)
            let typed = try #require(lines.first { $0.cell == "01|cur" })
            #expect(typed.username == "filer" && typed.address == "10.0.0.1" && typed.unitID == unit.id && typed.newValue == "12.50")
            #expect(lines.contains { $0.kind == .statusChanged && $0.oldValue == "notStarted" && $0.newValue == "draft" })

            // Two saves over version 1 at once: one is written, the other refused with what differs.
            async let a = outcome { try await store.saveDraft(id: id, expectedVersion: 1, cells: ["01|cur": "20"], explanations: [:], actor: person) }
            async let b = outcome { try await store.saveDraft(id: id, expectedVersion: 1, cells: ["01|cur": "30"], explanations: [:], actor: person) }
            let outcomes = await [a, b]
            let written = outcomes.compactMap { try? $0.get() }
            #expect(written.count == 1 && written.first?.version == 2)
            let refused = outcomes.compactMap { outcome -> (Int, [CellChange])? in
                guard case .failure(StoreError.versionConflict(let current, let differing)) = outcome else { return nil }
                return (current, differing)
            }
            #expect(refused.count == 1 && refused.first?.0 == 2)
            let stored = try #require(try await Submission.find(id, on: session.db))
            let winner = SubmissionStore.decode(stored.cells)["01|cur"]
            #expect(stored.version == 2 && (winner == "20" || winner == "30"))
            #expect(refused.first?.1.map(\.cell) == ["01|cur"], "the stored figure differs from the refused one")
            // The winner's lines only: its figure, the explanation it dropped and the 摘抄 figure it dropped.
            let afterRace = try await audit()
            #expect(afterRace.count == 4 + 3, "\(afterRace.map { "\($0.cell ?? "") \($0.newValue ?? "-")" })")
            #expect(afterRace.filter { $0.cell == "01|cur" }.compactMap(\.newValue).sorted() == ["12.50", winner ?? ""].sorted())

            // A save over a version left behind writes nothing; one that changes nothing writes nothing.
            await #expect(throws: StoreError.self) {
                try await store.saveDraft(id: id, expectedVersion: 1, cells: ["01|cur": "40"], explanations: [:], actor: person)
            }
            let same = try await store.saveDraft(id: id, expectedVersion: 2, cells: ["01|cur": winner ?? ""], explanations: [:], actor: person)
            #expect(same.version == 2 && same.changes.isEmpty)
            #expect(try await audit().count == 7)
            #expect(try await Submission.find(id, on: session.db)?.version == 2)

            // Saves of one and of two lines (on PostgreSQL, statements each connection keeps prepared),
            // each run more than once: written with exactly their lines; over a version left behind, nothing.
            var version = 2, expected = 7
            for figure in ["41", "42", "43"] {
                let one = try await store.saveDraft(id: id, expectedVersion: version, cells: ["01|cur": figure], explanations: [:], actor: person)
                version += 1; expected += 1
                #expect(one.version == version && one.changes.map(\.cell) == ["01|cur"])
                #expect(try await audit().count == expected)
                let two = try await store.saveDraft(id: id, expectedVersion: version, cells: ["01|cur": figure + "0", "02|cur": figure],
                                                    explanations: [:], actor: person)
                version += 1; expected += 2
                #expect(two.version == version && two.changes.map(\.cell) == ["01|cur", "02|cur"])
                #expect(try await audit().count == expected)
                await #expect(throws: StoreError.self) {
                    try await store.saveDraft(id: id, expectedVersion: version - 1, cells: ["01|cur": "9"], explanations: [:], actor: person)
                }
                await #expect(throws: StoreError.self) {
                    try await store.saveDraft(id: id, expectedVersion: version - 1, cells: ["01|cur": "9", "03|cur": "1"], explanations: [:], actor: person)
                }
                #expect(try await audit().count == expected)
                // The next round starts from one figure again (02|cur dropped: a line of its own).
                let back = try await store.saveDraft(id: id, expectedVersion: version, cells: ["01|cur": figure], explanations: [:], actor: person)
                version += 1; expected += 2
                #expect(back.version == version && back.changes.map(\.cell) == ["01|cur", "02|cur"])
            }
            let last = try #require(try await Submission.find(id, on: session.db))
            #expect(last.version == version && SubmissionStore.decode(last.cells) == ["01|cur": "43"])
            #expect(try await audit().count == expected)
        }
    }
}

/// What an async body returned or threw.
private func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
