import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// The headquarters' consolidation: see the subsidiaries and their status, keep the headquarters'
/// own figures, and produce the group's consolidated report.
struct ConsolidationController {
    func register(_ app: Application) throws {
        let one = app.routes.grouped("api", "v1", "units", ":unitID", "consolidation", ":year", ":formID")
        one.secure(.GET, access: .unitRead, action: .viewConsolidation) { req async throws -> JSONValue in
            let (group, form, year) = try resolve(req)
            return try json(try await Consolidator.state(req, group: group, form: form, year: year))
        }
        one.secure(.PUT, "own", access: .unitWrite, action: .consolidate) { req async throws -> JSONValue in
            let (group, form, year) = try resolve(req)
            let (version, doc) = try SubmissionController().readBody(req, form, year)
            let state = try await Consolidator.state(req, group: group, form: form, year: year)
            let record = state.record
            guard let version else { throw APIError.unprocessable("missing_version", "缺少 version（所编辑的总部本部数据版本号）") }
            guard version == record.version else {
                throw APIError(status: .conflict, code: "version_conflict", message: "总部本部数据已被他人修改（当前版本 \(record.version)），请重新加载。")
            }
            let old = SubmissionStore.decodeCells(record.ownCells)
            let new = form.cellMap(doc.values)
            record.ownCells = SubmissionStore.encode(new)
            record.version += 1
            let actor = req.actor
            try await req.db.transaction { tx in
                try await record.save(on: tx)
                for cell in Set(old.keys).union(new.keys).sorted() where old[cell] != new[cell] {
                    try await AuditEvent(userID: actor.userID, username: actor.username, address: actor.address, kind: .valueChanged,
                                         unitID: group.id, cell: "总部本部:\(form.form.id):\(year):\(cell)", oldValue: old[cell], newValue: new[cell]).create(on: tx)
                }
            }
            return try json(try await Consolidator.state(req, group: group, form: form, year: year))
        }
        one.secure(.POST, access: .unitWrite, action: .consolidate) { req async throws -> Response in
            let (group, form, year) = try resolve(req)
            do {
                let state = try await Consolidator.recompute(req, group: group, form: form, year: year)
                return try json(state).response(status: .ok)
            } catch StoreError.notEditable(let status) {
                return JSONValue.errorBody("not_editable", "集团汇总表\(status.chineseName)，不能重新汇总；如需重算请由国家数据局重新打开或退回。")
                    .response(status: .conflict)
            }
        }
        app.routes.grouped("units", ":unitID", ":year", ":formID", "consolidation").secure(.GET, access: .unitRead, action: .viewConsolidation) { req async throws -> View in
            let (group, form, year) = try resolve(req)
            let state = try await Consolidator.state(req, group: group, form: form, year: year)
            return try await req.view.render("consolidation", try page(req, state))
        }
    }

    func resolve(_ req: Request) throws -> (SurveyUnit, CompiledForm, Int) {
        let (group, form, year) = try SubmissionController().resolve(req)
        guard Consolidator.consolidates(req.platform, group, form.form.id) else { throw APIError.notFound("集团汇总「\(form.form.id)」") }
        return (group, form, year)
    }

    func json(_ s: Consolidator.State) throws -> JSONValue {
        .object([
            ("group", .object([("id", .string(try s.group.requireID().uuidString)), ("name", .string(s.group.name))])),
            ("form", .string(s.form.form.id)), ("year", .int(s.year)), ("version", .int(s.record.version)),
            ("own", SubmissionTemplate.filledValues(s.form, s.own)),
            ("subsidiaries", .array(try s.parts.map { p in
                .object([("unit", .string(try p.unit.requireID().uuidString)), ("name", .string(p.unit.name)), ("region", .string(p.unit.regionCode)),
                         ("status", .string((p.submission?.status ?? .notStarted).rawValue)), ("version", .int(p.submission?.version ?? 0)),
                         ("included", .bool(p.included))])
            })),
            ("preview", SubmissionTemplate.filledValues(s.form, s.preview)),
            ("lineage", .array(((try? JSONDecoder().decode([Consolidator.Lineage].self, from: Data(s.record.lineage.utf8))) ?? []).map { l in
                .object([("unit", .string(l.unit)), ("name", .string(l.name)), ("submission", .string(l.submission)),
                         ("version", .int(l.version)), ("status", .string(l.status))])
            })),
            ("consolidatedAt", .string(s.record.consolidatedAt.map { ISO8601DateFormatter().string(from: $0) })),
            ("consolidatedBy", .string(s.record.consolidatedBy)), ("resultVersion", s.record.resultVersion.map { .int($0) } ?? .null),
            ("stale", .bool(s.stale)),
        ])
    }

    func page(_ req: Request, _ s: Consolidator.State) throws -> ConsolidationPage {
        let groupID = try s.group.requireID().uuidString
        let base = "/units/\(groupID)/\(s.year)/\(s.form.form.id)"
        return ConsolidationPage(
            layout: PageController().layout(req, "集团汇总"), groupName: s.group.name, year: s.year, tableNumber: s.form.form.tableNumber,
            title: s.form.form.title, apiURL: "/api/v1/units/\(groupID)/consolidation/\(s.year)/\(s.form.form.id)",
            formURL: base, stale: s.stale, consolidated: s.record.consolidatedAt != nil,
            subsidiaries: try s.parts.map { p in
                let status = p.submission?.status ?? .notStarted
                return .init(name: p.unit.name, region: p.unit.regionCode, status: status.rawValue, statusName: status.chineseName,
                             version: p.submission?.version ?? 0, included: p.included,
                             reviewURL: "/review/units/\(try p.unit.requireID().uuidString)/\(s.year)/\(s.form.form.id)")
            },
            lineage: s.lineage.map { .init(name: $0.name, version: $0.version, status: SubmissionStatus(rawValue: $0.status)?.chineseName ?? $0.status) },
            ownVersion: s.record.version, columns: s.form.form.columns.map { s.form.columnName($0) },
            ownRows: s.form.form.allIndicators.filter { s.form.layout.membersByRow[$0.code] == nil }.map { indicator in
                .init(code: indicator.code, name: indicator.name, unit: indicator.unit, isSubItem: indicator.parent != nil,
                      cells: s.form.form.columns.map { column in
                          guard let slot = s.form.layout.slot(code: indicator.code, column: column) else { return .init(key: "", column: column, value: "", open: false) }
                          return .init(key: "\(indicator.code):\(column)", column: column, value: s.own[slot]?.normalized.description ?? "", open: true)
                      })
            })
    }
}

struct ConsolidationPage: Encodable {
    var layout: Layout
    var groupName: String
    var year: Int
    var tableNumber: String
    var title: String
    var apiURL: String
    var formURL: String
    var stale: Bool
    var consolidated: Bool
    var subsidiaries: [Subsidiary]
    var lineage: [Source]

    struct Subsidiary: Encodable {
        var name: String
        var region: String
        var status: String
        var statusName: String
        var version: Int
        var included: Bool
        var reviewURL: String
    }

    struct Source: Encodable { var name: String; var version: Int; var status: String }
    /// 总部本部: the headquarters' own figures, by row and column.
    var ownVersion: Int
    var columns: [String]
    var ownRows: [OwnRow]

    struct OwnRow: Encodable { var code: String; var name: String; var unit: String; var isSubItem: Bool; var cells: [OwnCell] }
    struct OwnCell: Encodable { var key: String; var column: String; var value: String; var open: Bool }
}
