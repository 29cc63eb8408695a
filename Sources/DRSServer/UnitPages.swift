import DRSCore
import DRSStorage
import Fluent
import Vapor

/// The registry page for administrators: list, add and edit units with the same checks as the API.
struct UnitPages {
    func register(_ app: Application) throws {
        let admin = app.routes.grouped("admin", "units")
        admin.secure(.GET, access: .admin) { req async throws -> View in try await render(req, message: nil, error: nil) }
        admin.secure(.POST, access: .admin) { req async throws -> Response in
            struct Form: Content {
                var creditCode: String; var name: String; var regionCode: String; var address: String?; var type: String
                var parentCreditCode: String?; var stateOwned: String?; var internetPlatform: String?; var telecomOperator: String?
            }
            let f = try req.content.decode(Form.self)
            let code = f.creditCode.trimmingCharacters(in: .whitespaces).uppercased()
            let record = UnitRecord(creditCode: code, name: f.name.trimmingCharacters(in: .whitespaces), regionCode: f.regionCode,
                                    address: f.address ?? "", types: [f.type], stateOwned: f.stateOwned != nil,
                                    internetPlatform: f.internetPlatform != nil, telecomOperator: f.telecomOperator != nil,
                                    parentCreditCode: (f.parentCreditCode ?? "").isEmpty ? nil : f.parentCreditCode, contact: "")
            do {
                let existing = try await SurveyUnit.query(on: req.db).filter(\.$creditCode == code).first()
                let unit = try await UnitController().upsert(req, existing, record)
                return try await render(req, message: "已保存：\(unit.name)（\(unit.creditCode)）", error: nil).encodeResponse(for: req)
            } catch let error as APIError {
                return try await render(req, message: nil, error: error.message).encodeResponse(status: error.status, for: req)
            }
        }
    }

    func render(_ req: Request, message: String?, error: String?) async throws -> View {
        let platform = req.platform
        let types = Dictionary(uniqueKeysWithValues: platform.catalog.catalog.survey.respondentTypes.map { ($0.id, $0.name) })
        let units = try await SurveyUnit.query(on: req.db).sort(\.$regionCode).sort(\.$name).all().map { u in
            UnitsPage.UnitRow(id: try u.requireID().uuidString, creditCode: u.creditCode, name: u.name, regionCode: u.regionCode,
                              types: u.typeList.map { types[$0] ?? $0 }.joined(separator: "、"),
                              flags: [u.stateOwned ? "国有" : nil, u.internetPlatform ? "互联网平台" : nil, u.telecomOperator ? "运营商" : nil]
                                .compactMap { $0 }.joined(separator: "、"))
        }
        let provinces = (platform.catalog.catalog.codeLists["provinces"]?.members ?? []).map { UnitsPage.Choice(id: $0.code, name: $0.name) }
        return try await req.view.render("units", UnitsPage(
            layout: PageController().layout(req, "调查单位名录库"), units: units, message: message, error: error,
            respondentTypes: platform.catalog.catalog.survey.respondentTypes.map { .init(id: $0.id, name: $0.name) }, provinces: provinces))
    }
}
