import DRSWorkflow
import Foundation

/// One subsidiary of a group, with its submission of the consolidated form for the year.
public struct GroupSubsidiary: Sendable, Equatable {
    public var unitID: UUID
    public var name: String
    public var regionCode: String
    /// Nil when the subsidiary never started the form.
    public var submission: SubmissionSnapshot?

    public init(unitID: UUID, name: String, regionCode: String, submission: SubmissionSnapshot?) {
        self.unitID = unitID
        self.name = name
        self.regionCode = regionCode
        self.submission = submission
    }
}

/// One subsidiary's submission as a consolidation used it (the lineage), so a later change shows.
/// Stored as JSON: `{"name":…,"status":…,"submission":…,"unit":…,"version":n}`.
public struct ConsolidationSource: Codable, Sendable, Equatable {
    public var unit: String
    public var name: String
    public var submission: String
    public var version: Int
    public var status: String

    public init(unit: String, name: String, submission: String, version: Int, status: String) {
        self.unit = unit
        self.name = name
        self.submission = submission
        self.version = version
        self.status = status
    }
}

/// What the store keeps of a group's consolidation of one form for a year: the headquarters' own
/// figures (总部本部) and the last consolidation's lineage.
public struct ConsolidationRecord: Sendable, Equatable {
    /// The record is stored (its own figures were kept, or the group was consolidated).
    public var isStored: Bool
    /// 总部本部 as the store keeps cells (compact JSON of the filled cells).
    public var ownCells: String
    /// The subsidiaries' submissions the last consolidation used.
    public var lineage: [ConsolidationSource]
    public var consolidatedAt: Date?
    public var consolidatedBy: String?
    /// The group submission's version the last consolidation produced.
    public var resultVersion: Int?
    /// The record's own version: it moves with every change of the own figures and every consolidation.
    public var version: Int

    public init(isStored: Bool = false, ownCells: String = "{}", lineage: [ConsolidationSource] = [], consolidatedAt: Date? = nil,
                consolidatedBy: String? = nil, resultVersion: Int? = nil, version: Int = 0) {
        self.isStored = isStored
        self.ownCells = ownCells
        self.lineage = lineage
        self.consolidatedAt = consolidatedAt
        self.consolidatedBy = consolidatedBy
        self.resultVersion = resultVersion
        self.version = version
    }
}

/// A group's consolidation as the use case reads and writes it: its subsidiaries and their
/// submissions, its record, and its own submission, written by a draft save. The storage layer
/// implements it (DRSStorage: `SubmissionStore`); tests implement it in memory.
public protocol GroupRepository: SubmissionRepository {
    /// The group's subsidiaries (units whose parent it is), by region code then name.
    func subsidiaries(groupID: UUID, formID: String, year: Int) async throws -> [GroupSubsidiary]

    /// The group's record for the form and year; an empty one (not stored, version 0) when none is kept.
    func consolidationRecord(groupID: UUID, formID: String, year: Int) async throws -> ConsolidationRecord

    /// Keeps the record's lineage, consolidation time, author, result version and version.
    func keepConsolidationRecord(_ record: ConsolidationRecord, groupID: UUID, formID: String, year: Int) async throws

    /// Replaces the headquarters' own figures (cells as `cellMap` gives them) and moves the record's
    /// version on, with one audit line per changed cell, in one transaction.
    func keepOwnFigures(_ cells: [String: String], groupID: UUID, formID: String, year: Int, actor: Actor) async throws

    /// The group's own submission of the form, created empty (未填报) on first access.
    func groupSubmission(groupID: UUID, formID: String, year: Int) async throws -> SubmissionSnapshot

    /// Writes consolidated figures into the group's submission: a draft save over its version that
    /// keeps its explanations (versioned, audited). Throws `DraftRefusal` when the store refuses it.
    func writeConsolidated(_ cells: [String: String], into submission: SubmissionSnapshot, actor: Actor) async throws -> SavedDraft
}
