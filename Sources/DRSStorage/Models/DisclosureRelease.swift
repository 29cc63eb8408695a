import FluentKit
import Foundation

/// One output that left the national office (统计法第二十八条): an aggregate, an SDMX message or the
/// statistics-bureau package, with what disclosure control did to it. The rules themselves are not
/// kept (their parameters must not be published), only their fingerprint.
public final class DisclosureRelease: Model, @unchecked Sendable {
    public static let schema = "releases"

    @ID(key: .id) public var id: UUID?
    @Field(key: "year") public var year: Int
    /// The form, or `*` for a package of every numeric form.
    @Field(key: "form_id") public var formID: String
    /// The breakdown protected, comma-separated (`province,type`); empty for the national total.
    @Field(key: "breakdown") public var breakdown: String
    /// `public` (protected) or `nbs` (国家统计局, a partner with legal access: unprotected).
    @Field(key: "destination") public var destination: String
    /// SHA-256 of the canonical rule string; empty for an unprotected release.
    @Field(key: "rules_fingerprint") public var rulesFingerprint: String
    /// The suppressed cells as compact JSON: `[[grouping-key, cell, "p"|"s"], …]`.
    @Field(key: "pattern") public var pattern: String
    @Field(key: "primary_cells") public var primaryCells: Int
    @Field(key: "secondary_cells") public var secondaryCells: Int
    @Field(key: "cells_failing") public var cellsFailing: Int
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(year: Int, formID: String, breakdown: [String], destination: String, rulesFingerprint: String, pattern: String,
                primaryCells: Int, secondaryCells: Int, cellsFailing: Int, createdBy: String, createdAt: Date = Date()) {
        self.year = year
        self.formID = formID
        self.breakdown = breakdown.joined(separator: ",")
        self.destination = destination
        self.rulesFingerprint = rulesFingerprint
        self.pattern = pattern
        self.primaryCells = primaryCells
        self.secondaryCells = secondaryCells
        self.cellsFailing = cellsFailing
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
