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
        let provinces = (platform.catalog.catalog.codeLists["provinces"]?.members ?? []).map { UnitsPage.Choice(id: $0.code, name: $0.name) }
        let search = Self.search(req, provinces: Set(provinces.map(\.id)))
        let listed = try await Self.listed(req, search.filter)
        let units = try listed.units.map { u in
            UnitsPage.UnitRow(id: try u.requireID().uuidString, creditCode: u.creditCode, name: u.name, regionCode: u.regionCode,
                              types: u.typeList.map { types[$0] ?? $0 }.joined(separator: "、"),
                              flags: [u.stateOwned ? "国有" : nil, u.internetPlatform ? "互联网平台" : nil, u.telecomOperator ? "运营商" : nil]
                                .compactMap { $0 }.joined(separator: "、"))
        }
        func link(_ page: Int, _ from: UnitCursor) -> String {
            var items = ["page=\(page)", "pageSize=\(listed.size)", from.queryItem]
            if !search.text.isEmpty { items.append("q=\(search.text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
            if !search.province.isEmpty { items.append("province=\(search.province)") }
            return "/admin/units?" + items.joined(separator: "&")
        }
        return try await req.view.render("units", UnitsPage(
            layout: PageController().layout(req, "调查单位名录库"), units: units, total: listed.total, page: listed.page,
            previous: listed.previous.map { link(listed.page - 1, $0) }, next: listed.next.map { link(listed.page + 1, $0) },
            query: search.text, province: search.province, searching: !search.text.isEmpty || !search.province.isEmpty, message: message, error: error,
            respondentTypes: platform.catalog.catalog.survey.respondentTypes.map { .init(id: $0.id, name: $0.name) }, provinces: provinces))
    }

    /// The page's search (`q`: part of a name or the start of a credit code; `province`: a province's code, `110000`).
    /// An unknown province is no filter rather than an error: the form offers only known ones.
    static func search(_ req: Request, provinces: Set<String>) -> (filter: UnitListFilter, text: String, province: String) {
        let text = String((req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        let asked = req.query[String.self, at: "province"] ?? ""
        let province = provinces.contains(asked) ? asked : ""
        return (UnitListFilter(province: province.isEmpty ? nil : String(province.prefix(2)), text: text.isEmpty ? nil : text), text, province)
    }

    /// One page of the registry, by number or continued from a unit, with the count of all the filter leaves.
    struct Listed {
        var units: [SurveyUnit]
        var total: Int
        var page: Int
        var size: Int
        /// Where the previous and next pages start (before the first unit, after the last); nil: none.
        var previous: UnitCursor?
        var next: UnitCursor?
    }

    static func listed(_ req: Request, _ filter: UnitListFilter) async throws -> Listed {
        let window = try PageWindow.requested(req)
        let from = try UnitCursor.requested(req)
        let store = req.platform.store(req.db)
        async let total = store.registryCount(filter)
        let read = try await store.registryPage(filter, limit: window.size + 1, offset: (window.page - 1) * window.size, from: from)
        let backward = if case .before = from { true } else { false }
        let page = KeyedPage(read: read, size: window.size, page: window.page, backward: backward, continued: from != nil)
        return Listed(units: page.items, total: try await total, page: window.page, size: window.size,
                      previous: page.hasPrevious ? page.items.first?.id.map(UnitCursor.before) : nil,
                      next: page.hasNext ? page.items.last?.id.map(UnitCursor.after) : nil)
    }
}
