import DRSApplication
import FluentKit
import Foundation

/// The application layer's group port: a headquarters' subsidiaries and their submissions, its
/// consolidation record (`consolidations`), and its own submission written by the store's draft save.
extension SubmissionStore: GroupRepository {
    public func subsidiaries(groupID: UUID, formID: String, year: Int) async throws -> [GroupSubsidiary] {
        let units = try await SurveyUnit.query(on: database).filter(\.$parent.$id == groupID).sort(\.$regionCode).sort(\.$name).all()
        let rows = try await submissions(year: year, unitIDs: try units.map { try $0.requireID() }, formID: formID)
        let byUnit = Dictionary(rows.map { ($0.$unit.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try units.map { unit in
            let unitID = try unit.requireID()
            return GroupSubsidiary(unitID: unitID, name: unit.name, regionCode: unit.regionCode,
                                   submission: try byUnit[unitID].map { try Self.snapshot(of: $0) })
        }
    }

    public func consolidationRecord(groupID: UUID, formID: String, year: Int) async throws -> ConsolidationRecord {
        guard let row = try await consolidationRow(groupID: groupID, formID: formID, year: year, on: database) else { return ConsolidationRecord() }
        let lineage = (try? JSONDecoder().decode([ConsolidationSource].self, from: Data(row.lineage.utf8))) ?? []
        return ConsolidationRecord(isStored: true, ownCells: row.ownCells, lineage: lineage, consolidatedAt: row.consolidatedAt,
                                   consolidatedBy: row.consolidatedBy, resultVersion: row.resultVersion, version: row.version)
    }

    public func keepConsolidationRecord(_ record: ConsolidationRecord, groupID: UUID, formID: String, year: Int) async throws {
        let row = try await consolidationRow(groupID: groupID, formID: formID, year: year, on: database)
            ?? Consolidation(groupID: groupID, formID: formID, year: year)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        row.lineage = String(decoding: try encoder.encode(record.lineage), as: UTF8.self)
        row.consolidatedAt = record.consolidatedAt
        row.consolidatedBy = record.consolidatedBy
        row.resultVersion = record.resultVersion
        row.version = record.version
        try await row.save(on: database)
    }

    public func keepOwnFigures(_ cells: [String: String], groupID: UUID, formID: String, year: Int, actor: Actor) async throws {
        let database = self.database
        try await gate.run { try await database.transaction { tx in
            let row = try await consolidationRow(groupID: groupID, formID: formID, year: year, on: tx)
                ?? Consolidation(groupID: groupID, formID: formID, year: year)
            let old = Self.decode(row.ownCells)
            row.ownCells = Self.encode(cells)
            row.version += 1
            try await row.save(on: tx)
            for cell in Set(old.keys).union(cells.keys).sorted() where old[cell] != cells[cell] {
                try await AuditEvent(userID: actor.userID, username: actor.username, address: actor.address, kind: .valueChanged,
                                     unitID: groupID, cell: "总部本部:\(formID):\(year):\(cell)", oldValue: old[cell], newValue: cells[cell]).create(on: tx)
            }
        } }
    }

    public func groupSubmission(groupID: UUID, formID: String, year: Int) async throws -> SubmissionSnapshot {
        try Self.snapshot(of: try await findOrCreate(unitID: groupID, formID: formID, year: year))
    }

    public func writeConsolidated(_ cells: [String: String], into submission: SubmissionSnapshot, actor: Actor) async throws -> SavedDraft {
        // The figures are the platform's sum, not the actor's typing: their lines say so (合并).
        try await save(Draft(cells: cells, explanations: Self.decode(submission.explanations)), id: submission.id,
                       expectedVersion: submission.version, actor: actor,
                       label: AuditLabel(cells: nil, username: nil, detail: SystemAudit.consolidation))
    }

    private func consolidationRow(groupID: UUID, formID: String, year: Int, on db: any Database) async throws -> Consolidation? {
        try await Consolidation.query(on: db).filter(\.$group.$id == groupID).filter(\.$formID == formID).filter(\.$year == year).first()
    }
}
