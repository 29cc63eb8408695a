import DRSAPI
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

    /// One page of the registry (a nation is 100,000 units, 28 MB as one answer): `pageSize` units
    /// after the unit `after`, and `nextAfter` while more follow.
    func list(_ req: Request) async throws -> APIBody<Components.Schemas.UnitList> {
        let size = try PageWindow.requested(req, defaultSize: 1_000, maximumSize: 5_000).size
        let after: UUID?
        if let text = req.query[String.self, at: "after"], !text.isEmpty {
            guard let id = UUID(uuidString: text) else { throw APIError.badRequest("bad_page", "after 应为单位的 id") }
            after = id
        } else {
            after = nil
        }
        let filter = UnitListFilter(regionCode: req.query[String.self, at: "region"])
        let read = try await req.platform.store(req.db).registryPage(filter, limit: size + 1, from: after.map(UnitCursor.after))
        let units = Array(read.prefix(size))
        let next = read.count > size ? units.last?.id : nil
        return APIBody(Components.Schemas.UnitList(units: try units.map(Self.body), nextAfter: next?.uuidString))
    }

    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1")
        api.secure(.GET, "units", access: .admin) { req async throws -> APIBody<Components.Schemas.UnitList> in try await list(req) }
        api.secure(.POST, "units", access: .admin) { req async throws -> Response in
            let body = try req.content.decode(UnitBody.self)
            let unit = try await upsert(req, nil, body.record)
            return try APIBody(try Self.body(unit), status: .created).response()
        }
        api.secure(.PUT, "units", ":unitID", access: .admin) { req async throws -> APIBody<Components.Schemas.Unit> in
            guard let id = req.parameters.get("unitID", as: UUID.self), let existing = try await SurveyUnit.find(id, on: req.db) else {
                throw APIError.notFound("调查单位")
            }
            return APIBody(try Self.body(try await upsert(req, existing, try req.content.decode(UnitBody.self).record)))
        }
        api.secure(.GET, "audit", access: .admin) { req async throws -> APIBody<Components.Schemas.EventList> in
            var query = AuditEvent.query(on: req.db).sort(\.$at, .descending)
            if let user: String = req.query["username"] { query = query.filter(\.$username == user) }
            if let kind: String = req.query["kind"], let k = AuditEvent.Kind(rawValue: kind) { query = query.filter(\.$kind == k) }
            let limit = min(req.query["limit"] ?? 200, 5000)
            return APIBody(Components.Schemas.EventList(events: try await query.limit(limit).all().map { try $0.body }))
        }
    }

    /// A unit as the API answers it (`Unit`).
    static func body(_ unit: SurveyUnit) throws -> Components.Schemas.Unit {
        Components.Schemas.Unit(
            id: try unit.requireID().uuidString, creditCode: unit.creditCode, name: unit.name, regionCode: unit.regionCode,
            address: unit.address, types: unit.typeList, stateOwned: unit.stateOwned, internetPlatform: unit.internetPlatform,
            telecomOperator: unit.telecomOperator, parentId: unit.$parent.id?.uuidString)
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
        let before = existing.map { $0.auditJSON.serialized() }
        unit.apply(record)
        unit.$parent.id = parentID
        let actor = req.actor, db = req.db, cache = req.application.readCache
        // Through the write gate, as every write of the server (one writer on SQLite).
        try await req.platform.gate.run {
            try await db.transaction { tx in
                try await unit.save(on: tx)
                cache.forget(unit: unit.id)
                try await AuditEvent(userID: actor.userID, username: actor.username, address: actor.address, kind: .unitChanged,
                                     unitID: unit.id, oldValue: before, newValue: unit.auditJSON.serialized()).create(on: tx)
            }
        }
        return unit
    }
}
