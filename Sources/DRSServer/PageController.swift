import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// The Chinese pages. They are thin: the form page's script talks to the same `/api/v1` endpoints.
struct PageController {
    func register(_ app: Application) throws {
        let r = app.routes
        r.secure(.GET, "login", access: .open) { req async throws -> View in
            try await req.view.render("login", LoginPage(layout: layout(req, "登录"), error: nil, username: ""))
        }
        r.secure(.POST, "login", access: .open) { req async throws -> Response in
            struct Form: Content { var username: String; var password: String }
            let form = try req.content.decode(Form.self)
            do {
                let user = try await AuthController().login(req, form.username, form.password)
                return req.redirect(to: user.mustChangePassword ? "/password" : "/")
            } catch let error as APIError {
                return try await req.view.render("login", LoginPage(layout: layout(req, "登录"), error: error.message, username: form.username))
                    .encodeResponse(status: error.status, for: req)
            }
        }
        r.secure(.POST, "logout", access: .session) { req async throws -> Response in
            await AuthController().logout(req)
            return req.redirect(to: "/login")
        }
        r.secure(.GET, "password", access: .session) { req async throws -> View in
            try await req.view.render("password", PasswordPage(layout: layout(req, "修改密码"), forced: try req.requireUser().mustChangePassword, error: nil))
        }
        r.secure(.POST, "password", access: .session) { req async throws -> Response in
            struct Form: Content { var currentPassword: String; var newPassword: String; var confirmPassword: String }
            let form = try req.content.decode(Form.self)
            let user = try req.requireUser()
            do {
                guard form.newPassword == form.confirmPassword else { throw APIError.unprocessable("mismatch", "两次输入的新密码不一致") }
                try await AuthController().changePassword(req, form.currentPassword, form.newPassword)
                return req.redirect(to: "/")
            } catch let error as APIError {
                return try await req.view.render("password", PasswordPage(layout: layout(req, "修改密码"), forced: user.mustChangePassword, error: error.message))
                    .encodeResponse(status: error.status, for: req)
            }
        }
        r.secure(.GET, access: .authenticated) { req async throws -> View in try await home(req) }
        let form = r.grouped("units", ":unitID", ":year", ":formID")
        form.secure(.GET, access: .unitRead) { req async throws -> View in try await formPage(req, view: "form") }
        form.secure(.GET, "print", access: .unitRead) { req async throws -> View in try await formPage(req, view: "print") }
        form.secure(.GET, "history", access: .unitRead) { req async throws -> View in try await historyPage(req) }
    }

    /// The audit trail of one submission, in Chinese (HistoryPages: names, not keys; system actions labelled).
    func historyPage(_ req: Request) async throws -> View {
        try await HistoryPages().page(req)
    }

    static func kindName(_ kind: AuditEvent.Kind) -> String {
        switch kind {
        case .login: "登录"
        case .loginFailed: "登录失败"
        case .logout: "退出"
        case .passwordChanged: "修改密码"
        case .valueChanged: "修改数值"
        case .statusChanged: "状态变更"
        case .unitChanged: "单位变更"
        case .userChanged: "账户变更"
        case .released: "数据发布"
        case .reminderSent: "催报"
        }
    }

    static func statusText(_ raw: String) -> String { SubmissionStatus(rawValue: raw)?.chineseName ?? raw }

    func layout(_ req: Request, _ title: String) -> Layout {
        Layout(title: title, csrf: req.csrfToken, user: req.currentUser.map {
            UserView(username: $0.username, displayName: $0.displayName, roleName: $0.role.chineseName, isAdmin: $0.role == .admin,
                     isReviewer: $0.role.isReviewer, isHeadquarters: $0.role == .headquartersReviewer)
        })
    }

    func home(_ req: Request) async throws -> View {
        let user = try req.requireUser()
        let platform = req.platform
        let year = platform.surveyYear
        var links: [HomePage.FormLink] = []
        let unit = try await req.unit(of: user)
        if let unit {
            let store = platform.store(req.db)
            let unitID = try unit.requireID()
            for form in platform.forms(for: unit) where req.may(.viewForm, unit, formID: form.form.id) {
                let s = try await store.find(unitID: unitID, formID: form.form.id, year: year)
                let status = s?.status ?? .notStarted
                let base = "/units/\(unitID.uuidString)/\(year)/\(form.form.id)"
                links.append(.init(form: form.form.id, tableNumber: form.form.tableNumber, title: form.form.title, status: status.rawValue,
                                   statusName: status.chineseName, url: base, printURL: base + "/print", historyURL: base + "/history",
                                   returnReason: s?.returnReason,
                                   consolidationURL: Consolidator.consolidates(platform, unit, form.form.id) ? base + "/consolidation" : nil))
            }
        }
        let days = platform.daysLeft(for: year)
        var page = HomePage(layout: layout(req, "我的报表"), unitName: unit?.name, creditCode: unit?.creditCode, year: year,
                            deadline: SubmissionController.dateText(platform.deadline(for: year)), daysLeft: max(days, 0),
                            overdue: days < 0, forms: links, isAdmin: user.role == .admin, isReviewer: user.role.isReviewer)
        if let unitID = unit?.id { page.reminders = try await ReminderPages.notices(unitID: unitID, on: req.db) }
        return try await req.view.render("home", page)
    }

    /// The form laid out like the official table (`view`: "form" to fill, "print" to print), from
    /// what the API's detail is made of (`SubmissionDetailParts`).
    func formPage(_ req: Request, view: String) async throws -> View {
        let parts = try await SubmissionController().detailParts(req)
        let compiled = parts.form, profile = parts.profile
        // The unit's flags and its answers to the questions that decide skipped rows (企业1表 Q10 for 企业5表).
        let builder = FormPageBuilder(compiled: compiled, filled: parts.filledValues, lastYear: parts.filledLastYear ?? .null,
                                      profile: profile, skipped: compiled.skippedRows(profile: profile),
                                      requiredSlots: Set(compiled.requiredSlots(profile: profile)))
        let page = try formPage(req, parts, builder: builder, asMarkup: view == "form")
        return try await req.view.render(view, page)
    }

    /// `asMarkup`: the sections or grids written as markup for `form.leaf` (`FormSheetMarkup`).
    private func formPage(_ req: Request, _ parts: SubmissionDetailParts, builder: FormPageBuilder, asMarkup: Bool) throws -> FormPage {
        let form = builder.compiled.form
        let (unit, year, status) = (parts.unit, parts.year, parts.status)
        let unitID = try unit.requireID().uuidString
        let base = "/units/\(unitID)/\(year)/\(form.id)"
        let editable = status.isEditable && req.may(.editForm, unit, formID: form.id, status: status)
        let version = parts.stored?.version ?? 0
        let explanations = parts.explanationsInOrder.map { code, text in
            FormPage.Explanation(code: code, name: form.indicator(code)?.name ?? code, text: text)
        }
        var sections = form.kind == .indicators ? builder.sections() : []
        var grids = form.kind == .grid ? builder.grids() : []
        var markup = ""
        if asMarkup {
            markup = form.kind == .grid ? FormSheetMarkup.grids(grids) : FormSheetMarkup.sections(sections, columns: builder.columns)
            sections = []
            grids = []
        }
        return FormPage(
            layout: layout(req, "\(form.tableNumber) \(form.title)"), unitID: unitID, unitName: unit.name, creditCode: unit.creditCode, year: year,
            form: .init(id: form.id, tableNumber: form.tableNumber, title: form.title, issuedBy: form.issuedBy, approvedBy: form.approvedBy,
                        approvalNumber: form.approvalNumber, validUntil: yearMonthText(form.validUntil), notes: form.notes),
            status: status.rawValue, statusName: status.chineseName,
            editable: editable, version: version,
            returnReason: parts.stored?.returnReason, deadline: SubmissionController.dateText(req.platform.deadline(for: year)),
            daysLeft: req.platform.daysLeft(for: year), apiURL: "/api/v1/units/\(unitID)/submissions/\(year)/\(form.id)",
            printURL: base + "/print", historyURL: base + "/history", homeURL: "/", carriedOver: parts.carriedOver,
            storedCellNotes: req.storedCellNotes.map(\.text),
            columns: builder.columns, sections: sections, grids: grids, sheetMarkup: markup,
            items: form.kind == .basicInfo ? builder.items(answers: parts.answers) : [],
            isIndicators: form.kind == .indicators, isGrid: form.kind == .grid, isBasic: form.kind == .basicInfo, explanations: explanations)
    }

    func yearMonthText(_ text: String) -> String {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let m = Int(parts[1]) else { return text }
        return "\(parts[0])年\(m)月"
    }
}
