import DRSStorage
import Fluent
import Foundation
import Vapor

/// The release of 《全国数据资源调查报告》: the national office's page, draft and steps under
/// `/admin/report`, and the public page `/reports` with the published editions' downloads.
struct ReportController {
    func register(_ app: Application) throws {
        let admin = app.routes.grouped("admin", "report")
        admin.secure(.GET, access: .admin, action: .viewReportDraft) { req async throws -> Response in
            let year = try Self.year(req, req.query[Int.self, at: "year"])
            return try await adminPage(req, year: year, message: req.query[String.self, at: "done"].flatMap(Self.doneMessage))
        }
        admin.secure(.GET, "draft", access: .admin, action: .viewReportDraft) { req async throws -> Response in
            let year = try Self.year(req, req.query[Int.self, at: "year"])
            let files = try await ReportEditions(req: req).build(year: year, mark: ReportEditions.draftMark, edition: nil)
            return ReportDownloads.draft(files.html)
        }
        admin.secure(.GET, "editions", ":editionID", ":file", access: .admin, action: .viewReportDraft) { req async throws -> Response in
            let (edition, file) = try await Self.storedFile(req, publicOnly: false)
            return ReportDownloads.response(edition, file, confidential: true)
        }
        admin.secure(.POST, "nbs", access: .admin, action: .sendReportToNBS) { req async throws -> Response in
            try await step(req) { form, editions in _ = try await editions.sendToNBS(year: form.year); return "nbs" }
        }
        admin.secure(.POST, "publish", access: .admin, action: .publishReport) { req async throws -> Response in
            try await step(req) { form, editions in
                guard let id = form.edition else { throw APIError.badRequest("edition_required", "请指明要发布的版本") }
                _ = try await editions.publish(year: form.year, editionID: id)
                return "published"
            }
        }
        admin.secure(.POST, "revise", access: .admin, action: .reviseReport) { req async throws -> Response in
            try await step(req) { form, editions in _ = try await editions.revise(year: form.year, notice: form.notice ?? ""); return "revised" }
        }
        app.routes.secure(.GET, "reports", access: .open) { req async throws -> View in try await publicPage(req) }
        app.routes.secure(.GET, "reports", ":editionID", ":file", access: .open) { req async throws -> Response in
            let (edition, file) = try await Self.storedFile(req, publicOnly: true)
            return ReportDownloads.response(edition, file, confidential: false)
        }
    }

    /// The fields of the steps' forms (a page's form or JSON).
    struct StepForm: Content {
        var year: Int
        var edition: UUID?
        var notice: String?
    }

    /// Runs one step; on success back to the year's page (303), on a refusal the page with the
    /// message and the refusal's status (nothing was stored).
    func step(_ req: Request, _ body: (StepForm, ReportEditions) async throws -> String) async throws -> Response {
        let form = try req.content.decode(StepForm.self)
        let year = try Self.year(req, form.year)
        do {
            let done = try await body(form, ReportEditions(req: req))
            return req.redirect(to: "/admin/report?year=\(year)&done=\(done)")
        } catch let error as APIError {
            return try await adminPage(req, year: year, error: error.message, status: error.status)
        }
    }

    func adminPage(_ req: Request, year: Int, error: String? = nil, message: String? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let editions = try await ReportEditions(req: req).editions(year: year)
        let views = try await Self.views(req, editions, base: "/admin/report/editions", publicOnly: false)
        let candidate = views.first { !$0.published }
        let range = req.platform.catalog.catalog.survey.reportingYears
        let page = ReportAdminPage(layout: PageController().layout(req, "调查报告"), year: year, years: Array(range.from...max(range.from, range.to)),
                                   editions: views, canSend: editions.isEmpty, candidate: candidate,
                                   canRevise: !editions.isEmpty && candidate == nil, nextEdition: (editions.map(\.edition).max() ?? 0) + 1,
                                   noticeLimit: ReportEditions.noticeLimit, error: error, message: message)
        return try await req.view.render("report-admin", page).encodeResponse(status: status, for: req)
    }

    func publicPage(_ req: Request) async throws -> View {
        let published = try await ReportEdition.query(on: req.db).filter(\.$state == .published)
            .sort(\.$year, .descending).sort(\.$edition, .descending).all()
        let views = try await Self.views(req, published, base: "/reports", publicOnly: true)
        return try await req.view.render("reports", PublicReportsPage(layout: PageController().layout(req, "全国数据资源调查报告"), editions: views))
    }

    static func views(_ req: Request, _ editions: [ReportEdition], base: String, publicOnly: Bool) async throws -> [ReportEditionView] {
        let files = try await ReportEditions(req: req).manifests(editions.compactMap(\.id))
        let numbers = Dictionary(editions.compactMap { e in e.id.map { ($0, e.edition) } }, uniquingKeysWith: { a, _ in a })
        return editions.map { edition in
            ReportEditionView(edition, files: edition.id.flatMap { files[$0] } ?? [], numbers: numbers, base: base, publicOnly: publicOnly)
        }
    }

    /// A year of the catalog edition; the default is the last finished data year (the survey year's previous).
    static func year(_ req: Request, _ asked: Int?) throws -> Int {
        let range = req.platform.catalog.catalog.survey.reportingYears
        let year = asked ?? min(max(req.platform.surveyYear - 1, range.from), range.to)
        guard range.contains(year) else { throw APIError.notFound("\(year)年的调查") }
        return year
    }

    static func storedFile(_ req: Request, publicOnly: Bool) async throws -> (ReportEdition, ReportEditionFile) {
        guard let id = req.parameters.get("editionID", as: UUID.self), let name = req.parameters.get("file") else {
            throw APIError.notFound("文件")
        }
        return try await ReportEditions(req: req).file(editionID: id, name: name, publicOnly: publicOnly)
    }

    static func doneMessage(_ done: String) -> String? {
        switch done {
        case "nbs": "已抄送国家统计局：报告已冻结为待发布版本，文件及其 SHA-256 已保存。"
        case "published": "已发布：报告已在公开发布页提供下载。"
        case "revised": "已生成修订版并抄送国家统计局，待发布。"
        default: nil
        }
    }
}
