import FluentKit
import Foundation

/// A central enterprise's consolidation of one form (企业2表) for a year: the headquarters' own
/// figures (总部本部), and the lineage of the last consolidated result written into the group's
/// submission — which subsidiaries, at which versions — so a later change can be detected.
public final class Consolidation: Model, @unchecked Sendable {
    public static let schema = "consolidations"

    @ID(key: .id) public var id: UUID?
    /// The headquarters unit (the group).
    @Parent(key: "group_id") public var group: SurveyUnit
    @Field(key: "form_id") public var formID: String
    @Field(key: "year") public var year: Int
    /// 总部本部: the headquarters' own figures, as a cell map in JSON (same keys as a submission).
    @Field(key: "own_cells") public var ownCells: String
    /// The subsidiaries' submissions used by the last consolidation: JSON array of
    /// `{"unit":…, "name":…, "submission":…, "version":n, "status":…}`.
    @Field(key: "lineage") public var lineage: String
    @OptionalField(key: "consolidated_at") public var consolidatedAt: Date?
    @OptionalField(key: "consolidated_by") public var consolidatedBy: String?
    /// The group submission's version the consolidation produced.
    @OptionalField(key: "result_version") public var resultVersion: Int?
    @Field(key: "version") public var version: Int

    public init() {}

    public init(groupID: UUID, formID: String, year: Int) {
        self.$group.id = groupID
        self.formID = formID
        self.year = year
        self.ownCells = "{}"
        self.lineage = "[]"
        self.version = 0
    }
}
