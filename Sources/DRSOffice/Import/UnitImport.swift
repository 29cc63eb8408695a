import DRSCore
import DRSStorage
import FluentKit
import Foundation

/// Imports registry rows; every row is checked, rejected rows change nothing, accepted rows are
/// stored in one transaction. Returns (imported, rejected with reasons by line number).
public func importUnits(_ rows: [[String]], db: any Database, catalog: CompiledCatalog) async throws -> (imported: Int, rejected: [(line: Int, reasons: [String])]) {
    guard let header = rows.first else { return (0, [(1, ["文件为空"])]) }
    let columns = UnitImportColumns(header: header)
    if !columns.missing.isEmpty { return (0, [(1, ["表头缺少列：" + columns.missing.joined(separator: "、")])]) }
    var (accepted, rejected) = columns.records(rows.dropFirst(), catalog: catalog)
    accepted = try await withKnownParents(accepted, rejected: &rejected, db: db)
    try await store(accepted.map(\.record), db: db)
    return (accepted.count, rejected.sorted { $0.line < $1.line })
}

/// The registry file's columns: Chinese headings (as the office's spreadsheets have them) or field names.
struct UnitImportColumns {
    static let names: [(key: String, aliases: [String])] = [
        ("creditCode", ["统一社会信用代码", "creditCode"]), ("name", ["单位详细名称", "单位名称", "name"]), ("regionCode", ["区划代码", "regionCode"]),
        ("address", ["详细地址", "address"]), ("types", ["调查对象类型", "types"]), ("stateOwned", ["国有企业", "stateOwned"]),
        ("internetPlatform", ["互联网平台企业", "internetPlatform"]), ("telecomOperator", ["运营商企业", "telecomOperator"]),
        ("parent", ["上级单位信用代码", "parentCreditCode"]), ("contact", ["联系电话", "contact"]),
        ("industry", ["行业代码", "industryCode"]),
    ]
    static let required = ["creditCode", "name", "regionCode", "types"]

    var column: [String: Int] = [:]

    init(header: [String]) {
        for (key, aliases) in Self.names {
            if let i = header.firstIndex(where: { aliases.contains($0.trimmingCharacters(in: .whitespaces)) }) { column[key] = i }
        }
    }

    /// The Chinese headings of required columns the header lacks.
    var missing: [String] {
        Self.required.filter { column[$0] == nil }.compactMap { key in Self.names.first { $0.key == key }?.aliases.first }
    }

    /// Every row checked against the catalog; a credit code repeated in the file is refused from its second line on.
    func records(_ rows: ArraySlice<[String]>, catalog: CompiledCatalog)
        -> (accepted: [(line: Int, record: UnitRecord)], rejected: [(line: Int, reasons: [String])]) {
        var accepted: [(line: Int, record: UnitRecord)] = [], rejected: [(line: Int, reasons: [String])] = []
        var seen: [String: Int] = [:]
        let survey = catalog.catalog.survey
        for (offset, row) in rows.enumerated() {
            let line = offset + 2
            let record = self.record(row, survey: survey)
            var reasons = record.problems(survey: survey, provinces: catalog.catalog.codeLists["provinces"],
                                          industryDivisions: catalog.catalog.codeLists["industryDivisions"])
            if let first = seen[record.creditCode] { reasons.append("与第\(first)行的统一社会信用代码重复") } else { seen[record.creditCode] = line }
            if reasons.isEmpty { accepted.append((line, record)) } else { rejected.append((line, reasons)) }
        }
        return (accepted, rejected)
    }

    private func record(_ row: [String], survey: Survey) -> UnitRecord {
        func field(_ key: String) -> String { column[key].flatMap { $0 < row.count ? row[$0].trimmingCharacters(in: .whitespaces) : nil } ?? "" }
        func yes(_ key: String) -> Bool { ["是", "1", "true", "y", "yes"].contains(field(key).lowercased()) }
        // Types by id or by their Chinese name, separated as people type lists.
        let types = field("types").split(whereSeparator: { "、,;；，".contains($0) }).map { t -> String in
            let s = String(t).trimmingCharacters(in: .whitespaces)
            return survey.respondentTypes.first { $0.name == s }?.id ?? s
        }
        let parent = field("parent")
        return UnitRecord(creditCode: field("creditCode").uppercased(), name: field("name"), regionCode: field("regionCode"),
                          address: field("address"), types: types, stateOwned: yes("stateOwned"),
                          internetPlatform: yes("internetPlatform"), telecomOperator: yes("telecomOperator"),
                          parentCreditCode: parent.isEmpty ? nil : parent.uppercased(), contact: field("contact"),
                          industryCode: column["industry"] == nil ? nil : field("industry"))
    }
}

/// The accepted rows whose parent is in the file or already in the registry; the others are rejected.
private func withKnownParents(_ accepted: [(line: Int, record: UnitRecord)], rejected: inout [(line: Int, reasons: [String])],
                              db: any Database) async throws -> [(line: Int, record: UnitRecord)] {
    let batchCodes = Set(accepted.map(\.record.creditCode))
    var known: [(line: Int, record: UnitRecord)] = []
    for (line, record) in accepted {
        if let parent = record.parentCreditCode, !batchCodes.contains(parent),
           try await SurveyUnit.query(on: db).filter(\.$creditCode == parent).first() == nil {
            rejected.append((line, ["上级单位「\(parent)」不在名录库中"]))
        } else {
            known.append((line, record))
        }
    }
    return known
}

/// Creates or updates the units in one transaction, parents first so subsidiaries can point at them,
/// with one audit line each.
private func store(_ records: [UnitRecord], db: any Database) async throws {
    try await db.transaction { tx in
        var ids: [String: UUID] = [:]
        for record in records.sorted(by: { ($0.parentCreditCode == nil ? 0 : 1) < ($1.parentCreditCode == nil ? 0 : 1) }) {
            let unit = try await SurveyUnit.query(on: tx).filter(\.$creditCode == record.creditCode).first() ?? SurveyUnit()
            unit.apply(record)
            if let parent = record.parentCreditCode, let known = ids[parent] {
                unit.$parent.id = known
            } else if let parent = record.parentCreditCode {
                unit.$parent.id = try await SurveyUnit.query(on: tx).filter(\.$creditCode == parent).first()?.id
            } else {
                unit.$parent.id = nil
            }
            try await unit.save(on: tx)
            ids[record.creditCode] = unit.id
            try await AuditEvent(userID: nil, username: "drs units import", address: "-", kind: .unitChanged, unitID: unit.id,
                                 newValue: unit.auditJSON.serialized()).create(on: tx)
        }
    }
}
