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
        form.secure(.GET, "history", access: .unitRead) { req async throws -> View in
            let controller = SubmissionController()
            let (unit, compiled, year) = try controller.resolve(req)
            let store = req.platform.store(req.db)
            var events: [HistoryPage.Event] = []
            if let s = try await store.find(unitID: unit.id!, formID: compiled.form.id, year: year) {
                let f = DateFormatter()
                f.dateFormat = "yyyy-MM-dd HH:mm:ss"
                f.timeZone = TimeZone(identifier: "Asia/Shanghai")
                events = try await store.history(id: s.id!).map {
                    HistoryPage.Event(at: f.string(from: $0.at), username: $0.username, address: $0.address, kind: Self.kindName($0.kind),
                                      cell: describeCell($0.cell, compiled), old: $0.oldValue.map { Self.statusText($0) } ?? "",
                                      new: $0.newValue.map { Self.statusText($0) } ?? "", detail: $0.detail)
                }
            }
            let base = "/units/\(unit.id!.uuidString)/\(year)/\(compiled.form.id)"
            return try await req.view.render("history", HistoryPage(layout: layout(req, "修改记录"), title: "\(unit.name) \(year)年 \(compiled.form.tableNumber) \(compiled.form.title)",
                                                                    backURL: base, events: events))
        }
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
        }
    }

    static func statusText(_ raw: String) -> String { SubmissionStatus(rawValue: raw)?.chineseName ?? raw }

    func describeCell(_ cell: String?, _ form: CompiledForm) -> String {
        guard let cell else { return "" }
        if cell == "status" { return "状态" }
        guard let key = CellKey(parsing: cell), let slot = form.layout.slot(key) else { return cell }
        let c = form.layout.cells[slot]
        return "\(c.name)[\(key.code)] \(form.columnName(key.column))\(c.memberName.map { "·\($0)" } ?? "")"
    }

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
            for form in platform.forms(for: unit) where req.may(.viewForm, unit, formID: form.form.id) {
                let s = try await store.find(unitID: unit.id!, formID: form.form.id, year: year)
                let status = s?.status ?? .notStarted
                let base = "/units/\(unit.id!.uuidString)/\(year)/\(form.form.id)"
                links.append(.init(form: form.form.id, tableNumber: form.form.tableNumber, title: form.form.title, status: status.rawValue,
                                   statusName: status.chineseName, url: base, printURL: base + "/print", historyURL: base + "/history",
                                   returnReason: s?.returnReason,
                                   consolidationURL: Consolidator.consolidates(platform, unit, form.form.id) ? base + "/consolidation" : nil))
            }
        }
        let days = platform.daysLeft(for: year)
        return try await req.view.render("home", HomePage(layout: layout(req, "我的报表"), unitName: unit?.name, creditCode: unit?.creditCode, year: year,
                                                          deadline: SubmissionController.dateText(platform.deadline(for: year)), daysLeft: max(days, 0),
                                                          overdue: days < 0, forms: links, isAdmin: user.role == .admin,
                                                          isReviewer: user.role.isReviewer))
    }

    func formPage(_ req: Request, view: String) async throws -> View {
        let controller = SubmissionController()
        let (unit, compiled, year) = try controller.resolve(req)
        let platform = req.platform
        let detail = try await controller.detail(req)
        guard let submission = detail["submission"] else { throw APIError.notFound() }
        let filled = submission["values"] ?? .object([])
        let lastYear = detail["lastYear"] ?? .null
        func valueText(_ json: JSONValue?, _ key: CellKey) -> String {
            guard let row = json?[key.code], let column = row[key.column] else { return "" }
            if let m = key.member { return column[m]?.stringValue ?? "" }
            return column.stringValue ?? ""
        }
        let profile = platform.profile(of: unit)
        func cell(_ key: CellKey?, label: String) -> FormPage.CellView {
            guard let key, compiled.layout.slot(key) != nil else { return .init(key: "", open: false, value: "", lastYear: "", label: label) }
            let hint = key.column == "prev" ? valueText(lastYear, CellKey(code: key.code, column: "cur", member: key.member)) : ""
            return .init(key: key.description, open: true, value: valueText(filled, key), lastYear: hint, label: label)
        }
        let form = compiled.form
        let columns = form.columns.enumerated().map { FormPage.ColumnHead(id: $1, name: compiled.columnName($1), number: $0 + 1) }
        var sections: [FormPage.Section] = []
        var grids: [FormPage.Grid] = []
        switch form.kind {
        case .indicators:
            for indicator in form.allIndicators {
                let title = (indicator.section ?? "").replacingOccurrences(of: "/", with: " · ")
                if sections.isEmpty || sections.last?.title != title { sections.append(.init(title: title, rows: [])) }
                let members = compiled.layout.membersByRow[indicator.code]
                var note = indicator.appliesTo?.chineseName ?? ""
                if members != nil { note = "分省填报" }
                let cells = form.columns.map { column -> FormPage.CellView in
                    guard indicator.columns.contains(column), members == nil else { return cell(nil, label: "") }
                    return cell(CellKey(code: indicator.code, column: column), label: "\(indicator.name)（\(compiled.columnName(column))）")
                }
                let memberRows = (members ?? []).map { m -> FormPage.MemberRow in
                    let name = compiled.layout.cells.first { $0.key.member == m }?.memberName ?? m
                    return .init(name: name, cells: form.columns.map { column in
                        indicator.columns.contains(column) ? cell(CellKey(code: indicator.code, column: column, member: m), label: "\(indicator.name)·\(name)（\(compiled.columnName(column))）") : cell(nil, label: "")
                    })
                }
                sections[sections.count - 1].rows.append(.init(
                    code: indicator.code, name: indicator.printedName ?? indicator.name, unit: indicator.unit, isSubItem: indicator.parent != nil,
                    definition: indicator.definition ?? "", note: note, applies: indicator.appliesTo?.applies(to: profile) ?? true,
                    cells: cells, members: memberRows, hasMembers: !memberRows.isEmpty))
            }
        case .grid:
            let members = compiled.layout.membersByRow[form.allIndicators.first?.code ?? ""] ?? []
            for column in form.columns {
                if form.breakdown?.total != nil {
                    // 公共5表: regions as rows, indicators as columns.
                    let rows = members.map { m -> FormPage.GridRow in
                        let name = compiled.layout.cells.first { $0.key.member == m }?.memberName ?? m
                        return .init(name: name, isTotal: m == form.breakdown?.total, cells: form.allIndicators.map {
                            cell(CellKey(code: $0.code, column: column, member: m), label: "\(name)·\($0.name)（\(compiled.columnName(column))）")
                        })
                    }
                    grids.append(.init(column: column, columnName: compiled.columnName(column), heads: form.allIndicators.map { "\($0.name)（\($0.unit)）" }, rows: rows))
                } else {
                    // 企业4表: indicators as rows, industry sections as columns.
                    let names = members.map { m in compiled.layout.cells.first { $0.key.member == m }?.memberName ?? m }
                    let rows = form.allIndicators.map { indicator in
                        FormPage.GridRow(name: "\(indicator.code) \(indicator.name)（\(indicator.unit)）", isTotal: false, cells: zip(members, names).map { m, n in
                            cell(CellKey(code: indicator.code, column: column, member: m), label: "\(indicator.name)·\(n)（\(compiled.columnName(column))）")
                        })
                    }
                    grids.append(.init(column: column, columnName: compiled.columnName(column), heads: names, rows: rows))
                }
            }
        case .basicInfo:
            break
        }
        let answers = submission["answers"] ?? .object([])
        func itemView(_ item: Item, key: String, answer: JSONValue?) -> FormPage.ItemView {
            let options = (item.options ?? []).map { o -> FormPage.OptionView in
                var checked = false, text = ""
                func matches(_ v: JSONValue) -> Bool {
                    if v.stringValue == o.code { return true }
                    if v["code"]?.stringValue == o.code { text = v["text"]?.stringValue ?? ""; return true }
                    return false
                }
                if case .array(let list)? = answer { checked = list.contains(where: matches) } else if let answer { checked = matches(answer) }
                return .init(code: o.code, label: o.label, checked: checked, withText: o.withText ?? false, text: text)
            }
            let fields = (item.fields ?? []).map { f in itemView(f, key: key + "." + (f.key ?? f.code), answer: answer?[f.key ?? f.code]) }
            var value = ""
            switch answer {
            case .string(let s)?: value = s
            case .number(let n)?: value = n
            default: break
            }
            return .init(code: item.code, name: item.name, type: item.type.rawValue, typeName: item.type.chineseName, required: item.isRequired,
                         officeFilled: item.filledBy == "office", definition: item.definition ?? "", key: key, value: value,
                         isChoice: item.type == .singleChoice || item.type == .multipleChoice, isMultiple: item.type == .multipleChoice,
                         isNumber: item.isNumeric, isText: !(item.isNumeric || item.type == .group || item.type == .singleChoice || item.type == .multipleChoice),
                         options: options, fields: fields, hasFields: !fields.isEmpty, unit: item.unit ?? (item.type == .percentage ? "%" : ""))
        }
        let items = form.kind == .basicInfo ? form.allItems.map { itemView($0, key: $0.code, answer: answers[$0.code]) } : []
        let explanations = (submission["explanations"]?.objectMembers ?? []).map { code, text in
            FormPage.Explanation(code: code, name: form.indicator(code)?.name ?? code, text: text.stringValue ?? "")
        }
        let base = "/units/\(unit.id!.uuidString)/\(year)/\(form.id)"
        let status = (submission["status"]?.stringValue).flatMap(SubmissionStatus.init(rawValue:)) ?? .notStarted
        let editable = submission["editable"] == .bool(true) && req.may(.editForm, unit, formID: form.id, status: status)
        var version = 0
        if case .number(let n)? = submission["version"] { version = Int(n) ?? 0 }
        let page = FormPage(
            layout: layout(req, "\(form.tableNumber) \(form.title)"), unitID: unit.id!.uuidString, unitName: unit.name, creditCode: unit.creditCode, year: year,
            form: .init(id: form.id, tableNumber: form.tableNumber, title: form.title, issuedBy: form.issuedBy, approvedBy: form.approvedBy,
                        approvalNumber: form.approvalNumber, validUntil: yearMonthText(form.validUntil), notes: form.notes),
            status: submission["status"]?.stringValue ?? "notStarted", statusName: submission["statusName"]?.stringValue ?? "",
            editable: editable, version: version,
            returnReason: submission["returnReason"]?.stringValue, deadline: detail["deadline"]?.stringValue ?? "",
            daysLeft: platform.daysLeft(for: year), apiURL: "/api/v1/units/\(unit.id!.uuidString)/submissions/\(year)/\(form.id)",
            printURL: base + "/print", historyURL: base + "/history", homeURL: "/", carriedOver: submission["carriedOver"] == .bool(true),
            columns: columns, sections: sections, grids: grids, items: items,
            isIndicators: form.kind == .indicators, isGrid: form.kind == .grid, isBasic: form.kind == .basicInfo, explanations: explanations)
        return try await req.view.render(view, page)
    }

    func yearMonthText(_ text: String) -> String {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let m = Int(parts[1]) else { return text }
        return "\(parts[0])年\(m)月"
    }
}
