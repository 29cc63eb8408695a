import DRSOffice
import DRSStorage
import Foundation
import Vapor

/// 审计日志 for the national office: searchable by unit (name or credit code), user, days (Beijing
/// time) and kind, 100 lines a page, newest first; the same selection as CSV (`/admin/audit.csv`).
/// The API's `GET /api/v1/audit` keeps its own contract (UnitController).
struct AuditPages {
    /// Every kind, in the order the filter lists them (PageController.kindName names each).
    static let kinds: [AuditEvent.Kind] = [.login, .loginFailed, .logout, .passwordChanged, .valueChanged, .statusChanged, .unitChanged,
                                           .userChanged, .released, .reminderSent]

    struct Query: Content {
        var unit: String?
        var user: String?
        var from: String?
        var to: String?
        var kind: String?
        var page: Int?
    }

    func register(_ app: Application) throws {
        let admin = app.routes.grouped("admin")
        admin.secure(.GET, "audit", access: .admin) { req async throws -> View in try await page(req) }
        admin.secure(.GET, "audit.csv", access: .admin) { req async throws -> Response in
            let (filter, _) = Self.filter(try req.query.decode(Query.self))
            let events = try await AuditSearch.lines(filter, limit: AuditSearch.exportLimit, on: req.db)
            let units = try await AuditSearch.units(of: events, on: req.db)
            let text = try await Offload.run { AuditSearch.csv(events, units: units, kindName: PageController.kindName) }
            return TableExport.download(Array(text.utf8), type: TableExport.csvType, fileName: "审计日志.csv")
        }
    }

    /// The filter of a query; an unreadable date is reported, not silently dropped.
    static func filter(_ q: Query) -> (AuditSearch.Filter, error: String?) {
        var error: String?
        func day(_ text: String?) -> Date? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let date = AuditSearch.beijingDayStart(text) else { error = "日期「\(text)」无法识别，应为 YYYY-MM-DD"; return nil }
            return date
        }
        let since = day(q.from)
        let until = day(q.to).map { $0.addingTimeInterval(86_400) }   // the whole last day
        let kind = q.kind.flatMap(AuditEvent.Kind.init(rawValue:))
        return (AuditSearch.Filter(unit: q.unit, username: q.user, since: since, until: until, kind: kind), error)
    }

    func page(_ req: Request) async throws -> View {
        let q = try req.query.decode(Query.self)
        let (filter, error) = Self.filter(q)
        // Clamped before any arithmetic: `page=-9223372036854775808` must not trap the server.
        let number = min(max(1, q.page ?? 1), AuditSearch.maximumPage) - 1
        let found = try await AuditSearch.page(filter, page: number, on: req.db)
        let events = found.events.map { e in
            let unit = e.unitID.flatMap { found.units[$0] }
            let old = e.oldValue.map(PageController.statusText), new = e.newValue.map(PageController.statusText)
            let change = (old == nil && new == nil) ? "" : "\(old ?? "—") → \(new ?? "—")"
            return AuditPage.Event(at: AuditSearch.beijingTime(e.at), kind: e.kind.rawValue, kindName: PageController.kindName(e.kind),
                                   username: e.username, address: e.address, unit: unit?.name ?? "", creditCode: unit?.creditCode ?? "",
                                   cell: e.cell ?? "", change: e.kind == .reminderSent ? "" : change, detail: e.detail)
        }
        let shown = AuditPage.Filter(unit: q.unit ?? "", user: q.user ?? "", from: q.from ?? "", to: q.to ?? "", kind: filter.kind?.rawValue ?? "")
        func url(_ path: String, page: Int?) -> String {
            var items = [("unit", shown.unit), ("user", shown.user), ("from", shown.from), ("to", shown.to), ("kind", shown.kind)]
            if let page { items.append(("page", String(page))) }
            let query = items.filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
        }
        return try await req.view.render("audit", AuditPage(
            layout: PageController().layout(req, "审计日志"), filter: shown,
            kinds: Self.kinds.map { .init(id: $0.rawValue, name: PageController.kindName($0)) }, events: events, page: number + 1,
            firstShown: number * AuditSearch.pageSize + 1,
            previousURL: number > 0 ? url("/admin/audit", page: number) : nil,
            nextURL: found.hasMore ? url("/admin/audit", page: number + 2) : nil,
            csvURL: url("/admin/audit.csv", page: nil), error: error, exportLimit: AuditSearch.exportLimit))
    }
}
