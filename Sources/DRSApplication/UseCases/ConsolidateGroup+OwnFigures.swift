import DRSCore
import Foundation

extension ConsolidateGroup {
    /// The headquarters keeps its own figures (总部本部), the part of the group's figures that no
    /// subsidiary files: refused without the version edited or when they moved on since; each changed
    /// cell is audited. The consolidation as it then stands.
    public static func keepOwnFigures(_ values: CellValues, version: Int?, of group: Group, actor: Actor,
                                      in repository: some GroupRepository, read: StoredFigures) async throws -> State {
        guard let version else { throw Failure.missingOwnVersion }
        let record = try await repository.consolidationRecord(groupID: group.groupID, formID: group.formID, year: group.year)
        guard version == record.version else { throw Failure.ownVersionConflict(current: record.version) }
        try await repository.keepOwnFigures(group.form.cellMap(values), groupID: group.groupID, formID: group.formID, year: group.year,
                                            actor: actor)
        return try await state(of: group, in: repository, read: read)
    }
}
