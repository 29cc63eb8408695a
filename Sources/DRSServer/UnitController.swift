import DRSCore
import DRSStorage
import Fluent
import Foundation
import Vapor

/// The unit registry (调查单位名录库) and the audit trail, for 国家数据局 administrators.
struct UnitController {
    struct UnitBody: Content {
        var creditCode: String
        var name: String
        var regionCode: String
        var address: String?
        var types: [String]
        var stateOwned: Bool?
        var internetPlatform: Bool?
        var telecomOperator: Bool?
        var parentCreditCode: String?
        var contact: String?

        var record: UnitRecord {
            UnitRecord(creditCode: creditCode.trimmingCharacters(in: .whitespaces).uppercased(), name: name.trimmingCharacters(in: .whitespaces),
                       regionCode: regionCode, address: address ?? "", types: types, stateOwned: stateOwned ?? false,
                       internetPlatform: internetPlatform ?? false, telecomOperator: telecomOperator ?? false,
                       parentCreditCode: parentCreditCode, contact: contact ?? "")
        }
    }

    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1")
        api.secure(.GET, "units", access: .admin) { req async throws -> JSONValue in
            var query = SurveyUnit.query(on: req.db).sort(\.$regionCode).sort(\.$name)
            if let region: String = req.query["region"] { query = query.filter(\.$regionCode == region) }
            let units = try await query.all()
            return .object([("units", .array(units.map(Self.json)))])
        }
        api.secure(.POST, "units", access: .admin) { req async throws -> Response in
            let body = try req.content.decode(UnitBody.self)
            let unit = try await upsert(req, nil, body.record)
            return Self.json(unit).response(status: .created)
        }
        api.secure(.PUT, "units", ":unitID", access: .admin) { req async throws -> JSONValue in
            guard let id = req.parameters.get("unitID", as: UUID.self), let existing = try await SurveyUnit.find(id, on: req.db) else {
                throw APIError.notFound("调查单位")
            }
            return Self.json(try await upsert(req, existing, try req.content.decode(UnitBody.self).record))
        }
        api.secure(.GET, "audit", access: .admin) { req async throws -> JSONValue in
            var query = AuditEvent.query(on: req.db).sort(\.$at, .descending)
            if let user: String = req.query["username"] { query = query.filter(\.$username == user) }
            if let kind: String = req.query["kind"], let k = AuditEvent.Kind(rawValue: kind) { query = query.filter(\.$kind == k) }
            let limit = min(req.query["limit"] ?? 200, 5000)
            return .object([("events", .array(try await query.limit(limit).all().map(\.json)))])
        }
    }

    static func json(_ unit: SurveyUnit) -> JSONValue {
        .object([
            ("id", .string(unit.id?.uuidString)), ("creditCode", .string(unit.creditCode)), ("name", .string(unit.name)),
            ("regionCode", .string(unit.regionCode)), ("address", .string(unit.address)), ("types", .array(unit.typeList.map { .string($0) })),
            ("stateOwned", .bool(unit.stateOwned)), ("internetPlatform", .bool(unit.internetPlatform)),
            ("telecomOperator", .bool(unit.telecomOperator)), ("parentId", .string(unit.$parent.id?.uuidString)),
        ])
    }

    /// Creates or updates a unit after checking it; refused records change nothing.
    func upsert(_ req: Request, _ existing: SurveyUnit?, _ record: UnitRecord) async throws -> SurveyUnit {
        let platform = req.platform
        var problems = record.problems(survey: platform.catalog.catalog.survey, provinces: platform.catalog.catalog.codeLists["provinces"],
                                      industryDivisions: platform.catalog.catalog.codeLists["industryDivisions"])
        var parentID: UUID?
        if let parent = record.parentCreditCode, !parent.isEmpty {
            parentID = try await SurveyUnit.query(on: req.db).filter(\.$creditCode == parent.uppercased()).first()?.id
            if parentID == nil { problems.append("上级单位「\(parent)」不在名录库中") }
        }
        if let clash = try await SurveyUnit.query(on: req.db).filter(\.$creditCode == record.creditCode).first(), clash.id != existing?.id {
            problems.append("统一社会信用代码 \(record.creditCode) 已属于「\(clash.name)」")
        }
        if !problems.isEmpty {
            throw APIError.unprocessable("invalid_unit", problems.joined(separator: "；"), details: ["problems": AnyCodable(problems)])
        }
        let unit = existing ?? SurveyUnit()
        let before = existing.map { Self.json($0).serialized() }
        unit.apply(record)
        unit.$parent.id = parentID
        let actor = req.actor
        try await req.db.transaction { tx in
            try await unit.save(on: tx)
            req.application.readCache.forget(unit: unit.id)
            try await AuditEvent(userID: actor.userID, username: actor.username, address: actor.address, kind: .unitChanged,
                                 unitID: unit.id, oldValue: before, newValue: Self.json(unit).serialized()).create(on: tx)
        }
        return unit
    }
}

extension SurveyUnit {
    /// Copies a checked registry record onto the stored unit (the parent is resolved by the caller).
    func apply(_ record: UnitRecord) {
        creditCode = record.creditCode
        name = record.name
        regionCode = record.regionCode
        address = record.address
        types = record.types.joined(separator: ",")
        stateOwned = record.stateOwned
        internetPlatform = record.internetPlatform
        telecomOperator = record.telecomOperator
        contact = record.contact
        if let code = record.industryCode { industryCode = code.isEmpty ? nil : code }
    }
}
