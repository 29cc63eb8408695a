import DRSCore
import Foundation
import SQLKit

/// What a national tabulation needs of a unit, read raw from its row: 100,000 units turned into
/// Fluent models (property wrappers filled by reflection) took seconds of every national aggregate.
public struct UnitFacts: Sendable {
    public var id: UUID
    public var name: String
    public var regionCode: String
    public var typeList: [String]
    /// The headquarters of a central-enterprise subsidiary.
    public var parentID: UUID?
    public var industryCode: String?

    /// The columns `init(row:)` reads, for the `SELECT`.
    public static let columns = ["id", "name", "region_code", "types", "parent_id", "industry_code"]

    public init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        name = try row.decode(column: "name", as: String.self)
        regionCode = try row.decode(column: "region_code", as: String.self)
        typeList = try row.decode(column: "types", as: String.self).split(separator: ",").map(String.init)
        parentID = try row.decode(column: "parent_id", as: UUID?.self)
        industryCode = try row.decode(column: "industry_code", as: String?.self)
    }

    /// The same facts of a model already loaded.
    public init(_ unit: SurveyUnit) throws {
        id = try unit.requireID()
        name = unit.name
        regionCode = unit.regionCode
        typeList = unit.typeList
        parentID = unit.$parent.id
        industryCode = unit.industryCode
    }

    /// As `SurveyUnit.respondentType(filing:in:)`.
    public func respondentType(filing formID: String, in survey: Survey) -> String {
        SurveyUnit.respondentType(of: typeList, filing: formID, in: survey)
    }

    /// As `SurveyUnit.provinceCode`.
    public var provinceCode: String { SurveyUnit.provinceCode(of: regionCode) }
}

/// One stored submission's figures as a tabulation reads them: whose, which year, the stored cell map.
public struct StoredFigures: Sendable {
    public var unitID: UUID
    public var year: Int
    /// The stored text (`SubmissionStore.encode`).
    public var cells: String

    public static let columns = ["unit_id", "year", "cells"]

    public init(row: any SQLRow) throws {
        unitID = try row.decode(column: "unit_id", as: UUID.self)
        year = try row.decode(column: "year", as: Int.self)
        cells = try row.decode(column: "cells", as: String.self)
    }

    public init(unitID: UUID, year: Int, cells: String) {
        self.unitID = unitID
        self.year = year
        self.cells = cells
    }
}
