import DRSAPI
import DRSApplication
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
            return try json(group, try await Consolidator.state(req, group: group, form: form, year: year))
        }
        one.secure(.PUT, "own", access: .unitWrite, action: .consolidate) { req async throws -> JSONValue in try await keepOwn(req) }
        one.secure(.POST, access: .unitWrite, action: .consolidate) { req async throws -> Response in try await consolidate(req) }
        app.routes.grouped("units", ":unitID", ":year", ":formID", "consolidation").secure(.GET, access: .unitRead, action: .viewConsolidation) { req async throws -> View in
            let (group, form, year) = try resolve(req)
            let state = try await Consolidator.state(req, group: group, form: form, year: year)
            var page = try page(req, group, state)
            page.checks = try await ConsolidationChecks.run(req, group: group, state: state)
            return try await req.view.render("consolidation", page)
        }
    }

    /// Translates the headquarters' own figures to the use case (`ConsolidateGroup.keepOwnFigures`).
    func keepOwn(_ req: Request) async throws -> JSONValue {
        let (group, form, year) = try resolve(req)
        let (version, doc) = try SubmissionController().readBody(req, form, year)
        do {
            let state = try await ConsolidateGroup.keepOwnFigures(doc.values, version: version, of: try Consolidator.group(group, form, year),
                                                                  actor: req.actor, in: req.platform.store(req.db), read: Consolidator.reader(req, form))
            return try json(group, state)
        } catch let failure as ConsolidateGroup.Failure {
            throw failure.isConflict ? APIError(status: .conflict, code: failure.code, message: failure.message)
                : APIError.unprocessable(failure.code, failure.message)
        }
    }

    /// Translates a consolidation to the use case (`ConsolidateGroup.run`) and its refusal to 409.
    func consolidate(_ req: Request) async throws -> Response {
        let (group, form, year) = try resolve(req)
        do {
            let state = try await ConsolidateGroup.run(try Consolidator.group(group, form, year), actor: req.actor, in: req.platform.store(req.db),
                                                       read: Consolidator.reader(req, form))
            return try json(group, state).response(status: .ok)
        } catch let failure as ConsolidateGroup.Failure {
            guard failure.isConflict else { throw APIError.unprocessable(failure.code, failure.message) }
            return JSONValue.errorBody(failure.code, failure.message).response(status: .conflict)
        }
    }

    func resolve(_ req: Request) throws -> (SurveyUnit, CompiledForm, Int) {
        let (group, form, year) = try SubmissionController().resolve(req)
        guard Consolidator.consolidates(req.platform, group, form.form.id) else { throw APIError.notFound("集团汇总「\(form.form.id)」") }
        return (group, form, year)
    }

    /// The state as the API answers it (`Consolidation`), as JSON for the routes above.
    func json(_ group: SurveyUnit, _ s: ConsolidateGroup.State) throws -> JSONValue { try APIBodyEncoding.json(try body(group, s)) }

    func body(_ group: SurveyUnit, _ s: ConsolidateGroup.State) throws -> Components.Schemas.Consolidation {
        let form = s.group.form
        func values(_ v: CellValues) throws -> Components.Schemas.Values {
            try APIBodyEncoding.decode(Components.Schemas.Values.self, from: SubmissionTemplate.filledValues(form, v))
        }
        return Components.Schemas.Consolidation(
            group: .init(id: try group.requireID().uuidString, name: group.name),
            form: form.form.id, year: s.group.year, version: s.record.version,
            own: .init(value1: try values(s.own)),
            subsidiaries: try s.subsidiaries.map { p in
                Components.Schemas.ConsolidationSubsidiary(
                    unit: p.unitID.uuidString, name: p.name, region: p.regionCode, status: try APIEnum.convert(p.submission?.status ?? .notStarted),
                    version: p.submission?.version ?? 0, included: p.isIncluded)
            },
            preview: .init(value1: try values(s.preview)),
            lineage: try s.record.lineage.map { l in
                guard let status = Components.Schemas.SubmissionStatus(rawValue: l.status) else {
                    throw Abort(.internalServerError, reason: "openapi.json has no status '\(l.status)'")
                }
                return Components.Schemas.ConsolidationLineage(unit: l.unit, name: l.name, submission: l.submission, version: l.version, status: status)
            },
            consolidatedAt: s.record.consolidatedAt, consolidatedBy: s.record.consolidatedBy, resultVersion: s.record.resultVersion,
            stale: s.stale)
    }

    func page(_ req: Request, _ group: SurveyUnit, _ s: ConsolidateGroup.State) throws -> ConsolidationPage {
        let groupID = try group.requireID().uuidString, form = s.group.form, year = s.group.year
        let base = "/units/\(groupID)/\(year)/\(form.form.id)"
        return ConsolidationPage(
            layout: PageController().layout(req, "集团汇总"), groupName: group.name, year: year, tableNumber: form.form.tableNumber,
            title: form.form.title, apiURL: "/api/v1/units/\(groupID)/consolidation/\(year)/\(form.form.id)",
            formURL: base, stale: s.stale, consolidated: s.record.consolidatedAt != nil,
            subsidiaries: s.subsidiaries.map { p in
                let status = p.submission?.status ?? .notStarted
                return .init(name: p.name, region: p.regionCode, status: status.rawValue, statusName: status.chineseName,
                             version: p.submission?.version ?? 0, included: p.isIncluded,
                             inclusion: ConsolidationChecks.inclusionText(p),
                             reviewURL: "/review/units/\(p.unitID.uuidString)/\(year)/\(form.form.id)")
            },
            pending: s.subsidiaries.filter { !$0.isIncluded }.map { p in
                "\(p.name)（\((p.submission?.status ?? .notStarted).chineseName)）"
            },
            includedCount: s.subsidiaries.filter(\.isIncluded).count,
            lineage: s.lineage.map { .init(name: $0.name, version: $0.version, status: SubmissionStatus(rawValue: $0.status)?.chineseName ?? $0.status) },
            ownVersion: s.record.version, columns: form.form.columns.map { form.columnName($0) },
            ownRows: form.form.allIndicators.filter { form.layout.membersByRow[$0.code] == nil }.map { indicator in
                .init(code: indicator.code, name: indicator.name, unit: indicator.unit, isSubItem: indicator.parent != nil,
                      cells: form.form.columns.map { column in
                          guard let slot = form.layout.slot(code: indicator.code, column: column) else { return .init(key: "", column: column, value: "", open: false) }
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
    /// Subsidiaries whose report does not count yet (not approved), with their status: the page warns.
    var pending: [String]
    var includedCount: Int
    var lineage: [Source]
    /// The form's checks on the figures a consolidation now would write.
    var checks = ConsolidationChecks.Result()

    struct Subsidiary: Encodable {
        var name: String
        var region: String
        var status: String
        var statusName: String
        var version: Int
        var included: Bool
        /// Why it counts or not, in words (ConsolidationRules: 已通过 and 已核定 count).
        var inclusion: String
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
