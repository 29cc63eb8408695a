import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// The reviewers' pages: the queue (with 批量审核通过 of the clean submissions), and one submission
/// as the reviewer's desk — one row per indicator with this year, last year, the change, the checks
/// and the explanation, filters, the answers of a basic-information form, and the previous and next
/// submission of the queue. The page's script posts to the same `/api/v1/…/approve|return|verify|reopen`.
struct ReviewPages {
    func register(_ app: Application) throws {
        app.routes.secure(.GET, "review", access: .reviewer) { req async throws -> View in
            try await queuePage(req, results: nil)
        }
        app.routes.grouped("review", "units", ":unitID", ":year", ":formID").secure(.GET, access: .unitReview) { req async throws -> View in
            try await detailPage(req)
        }
        try BulkApproval().register(app)
    }

    /// The queue's filter from the request's query; without a status, the submissions awaiting review.
    static func filter(_ req: Request) throws -> ReviewQueue.Filter {
        var filter = try ReviewQueue.Filter(req)
        if req.query[String.self, at: "status"] == nil { filter.statuses = [.submitted] }
        return filter
    }

    /// The queue's own query parameters of the request, to carry the queue's order to the desk and back.
    static func queueQuery(_ req: Request) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.,")
        let pairs = ["year", "form", "status", "type", "flag"].compactMap { name -> String? in
            guard let value = req.query[String.self, at: name], !value.isEmpty,
                  let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed) else { return nil }
            return "\(name)=\(encoded)"
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    /// The queue page; `results` are a bulk approval's outcomes shown above it.
    func queuePage(_ req: Request, results: [BulkApproval.Outcome]?) async throws -> View {
        let filter = try Self.filter(req)
        let requested = try PageWindow.requested(req)
        let (items, window, unchecked) = try await ReviewQueue.page(req, filter: filter, requested: requested)
        let platform = req.platform
        let query = Self.queueQuery(req)
        return try await req.view.render("review-queue", ReviewQueuePage(
            layout: PageController().layout(req, "审核"), year: filter.year,
            form: filter.form ?? "", status: filter.statuses.map(\.rawValue).sorted().joined(separator: ","), type: filter.type ?? "",
            flag: filter.flag ?? "", unchecked: unchecked,
            forms: platform.catalog.orderedForms.map { .init(id: $0.form.id, name: "\($0.form.tableNumber) \($0.form.title)") },
            statuses: SubmissionStatus.allCases.filter { $0 != .notStarted }.map { .init(id: $0.rawValue, name: $0.chineseName) },
            types: platform.catalog.catalog.survey.respondentTypes.map { .init(id: $0.id, name: $0.name) },
            items: items.map { item in
                let step = BulkApproval.step(from: item.submission.status)
                let selectable = step?.accessAction.map {
                    req.may($0, item.unit, formID: item.submission.formID, status: item.submission.status)
                } ?? false
                return .init(unitName: item.unit.name, creditCode: item.unit.creditCode, region: item.unit.regionCode, form: item.submission.formID,
                      tableNumber: item.tableNumber, title: item.formTitle, status: item.submission.status.rawValue,
                      statusName: item.submission.status.chineseName, errors: item.errors, warnings: item.warnings,
                      unexplained: item.unexplained, missing: item.missing, url: item.url + query,
                      key: "\(item.unitID.uuidString)/\(item.submission.year)/\(item.submission.formID)",
                      clean: item.isClean && selectable, selectable: selectable, stepName: step?.chineseName ?? "")
            },
            mayVerify: req.currentUser?.role == .admin,
            bulkURL: "/review/bulk-approve" + query,
            results: results ?? [], hasResults: results != nil,
            approvedCount: results?.filter(\.approved).count ?? 0, refusedCount: results?.filter { !$0.approved }.count ?? 0,
            pager: Pager(window, link: { "/review" + query + (query.isEmpty ? "?" : "&") + "page=\($0)&pageSize=\(window.size)" })))
    }

    func detailPage(_ req: Request) async throws -> View {
        let (unit, form, year) = try SubmissionController().resolve(req)
        let detail = try await ReviewController().reviewDetail(req)
        let submission = detail["submission"] ?? .object([])
        let changedCells = (detail["changedSinceReturn"]?.arrayValue ?? []).compactMap { $0["cell"]?.stringValue }
        let explanations = Dictionary((submission["explanations"]?.objectMembers ?? []).map { ($0.0, $0.1.stringValue ?? "") },
                                      uniquingKeysWith: { a, _ in a })
        let desk = ReviewDesk(form: form, values: submission["values"] ?? .object([]), lastYear: detail["lastYear"] ?? .null,
                              report: detail["report"] ?? .object([]), explanations: explanations, changedSinceReturn: Set(changedCells))
        let rows = form.form.kind == .basicInfo ? [] : desk.rows()
        func violations(_ key: String) -> [ReviewPage.Message] {
            (detail["report"]?[key]?.arrayValue ?? []).map {
                .init(text: $0["message"]?.stringValue ?? "", explanation: $0["explanation"]?.stringValue ?? "")
            }
        }
        let actions = Set((detail["actions"]?.arrayValue ?? []).compactMap(\.stringValue))
        var version = 0
        if case .number(let n)? = submission["version"] { version = Int(n) ?? 0 }
        let unitID = try unit.requireID()
        let base = "/units/\(unitID.uuidString)/\(year)/\(form.form.id)"
        let queue = try await neighbours(req, unit: unit, formID: form.form.id, year: year)
        let answers = form.form.kind == .basicInfo
            ? AnswerSummary.lines(form: form.form, answers: submission["answers"] ?? .object([]), codeLists: req.platform.catalog.catalog.codeLists,
                                  respondentTypes: unit.typeList)
            : []
        return try await req.view.render("review", ReviewPage(
            layout: PageController().layout(req, "审核 \(form.form.tableNumber)"), unitName: unit.name, creditCode: unit.creditCode,
            region: unit.regionCode, year: year, tableNumber: form.form.tableNumber, title: form.form.title,
            status: submission["status"]?.stringValue ?? "", statusName: submission["statusName"]?.stringValue ?? "", version: version,
            returnReason: submission["returnReason"]?.stringValue, storedCellNotes: req.storedCellNotes.map(\.text),
            apiURL: "/api/v1/units/\(unitID.uuidString)/submissions/\(year)/\(form.form.id)",
            formURL: base, historyURL: base + "/history", printURL: base + "/print",
            errors: violations("errors"), warnings: violations("warnings"),
            missing: (detail["report"]?["missing"]?.arrayValue ?? []).compactMap { $0["message"]?.stringValue },
            changedSinceReturn: (detail["changedSinceReturn"]?.arrayValue ?? []).map {
                .init(cell: $0["cell"]?.stringValue ?? "", name: HistoryLines.cellName($0["cell"]?.stringValue ?? "", form),
                      before: ReviewDesk.grouped($0["before"]?.stringValue ?? ""), now: ReviewDesk.grouped($0["now"]?.stringValue ?? ""))
            },
            columns: desk.columnNames, rows: rows, isBasic: form.form.kind == .basicInfo, answers: answers,
            failingCount: rows.filter(\.failing).count, explainedCount: rows.filter(\.explained).count,
            changedCount: rows.filter(\.changed).count,
            queueURL: "/review" + Self.queueQuery(req), prevURL: queue.prev, nextURL: queue.next, queuePosition: queue.position,
            queueTotal: queue.total, mayApprove: actions.contains("approve"), mayReturn: actions.contains("return"),
            mayVerify: actions.contains("verify"), mayReopen: actions.contains("reopen")))
    }

    /// The previous and next submission of the reviewer's queue (its filter from the query), and this
    /// one's place in it. A submission no longer in the queue (approved just now) sits where it would sort.
    func neighbours(_ req: Request, unit: SurveyUnit, formID: String, year: Int) async throws
        -> (prev: String?, next: String?, position: Int, total: Int) {
        var filter = try Self.filter(req)
        if req.query[Int.self, at: "year"] == nil { filter.year = year }
        let unitID = try unit.requireID()
        guard let stored = try await req.platform.store(req.db).find(unitID: unitID, formID: formID, year: year), let id = stored.id else {
            return (nil, nil, 0, 0)
        }
        let key = QueueQuery.Key(regionCode: unit.regionCode, unitName: unit.name, unitID: unitID, formID: formID)
        let around = try await ReviewQueue.neighbours(req, filter: filter, of: key, id: id)
        let query = Self.queueQuery(req)
        func url(_ row: QueueRow?) -> String? { row.map { "/review/units/\($0.head.unitID.uuidString)/\($0.head.year)/\($0.head.formID)" + query } }
        return (url(around.previous), url(around.next), around.position, around.total)
    }

    /// (a − b) / |b| in percent with one decimal, for display only; empty when there is none.
    /// The figures may have any decimals each (12.3456 against last year's 12.3): see `percentChange(from:)`.
    static func percentChange(_ a: ExactDecimal, _ b: ExactDecimal) -> String {
        a.percentChange(from: b)?.signedPercentText ?? ""
    }
}

struct ReviewQueuePage: Encodable {
    var layout: Layout
    var year: Int
    var form: String
    var status: String
    var type: String
    var flag: String
    /// A flagged queue: submissions whose check waits for the background (not listed yet).
    var unchecked: Int
    var forms: [UnitsPage.Choice]
    var statuses: [UnitsPage.Choice]
    var types: [UnitsPage.Choice]
    var items: [Item]
    /// The national office: a bulk action also verifies (核定) the approved submissions it selects.
    var mayVerify: Bool
    /// Where the bulk approval posts (with the queue's filter, so the queue comes back as it was).
    var bulkURL: String
    var results: [BulkApproval.Outcome]
    var hasResults: Bool
    var approvedCount: Int
    var refusedCount: Int
    var pager: Pager

    struct Item: Encodable {
        var unitName: String
        var creditCode: String
        var region: String
        var form: String
        var tableNumber: String
        var title: String
        var status: String
        var statusName: String
        var errors: Int
        var warnings: Int
        var unexplained: Int
        /// Required cells left blank.
        var missing: Int
        var url: String
        /// `unitID/year/formID`, what a bulk approval names.
        var key: String
        var clean: Bool
        /// The account may move it on now: approve it (已提交) or, the national office, verify it (已通过).
        var selectable: Bool
        /// 审核通过 or 核定: what a bulk action would do to it.
        var stepName: String
    }
}

struct ReviewPage: Encodable {
    var layout: Layout
    var unitName: String
    var creditCode: String
    var region: String
    var year: Int
    var tableNumber: String
    var title: String
    var status: String
    var statusName: String
    var version: Int
    var returnReason: String?
    /// Stored cells this catalog cannot show, one line per source.
    var storedCellNotes: [String]
    var apiURL: String
    var formURL: String
    var historyURL: String
    var printURL: String
    var errors: [Message]
    var warnings: [Message]
    /// Required cells left blank (blank is not zero): 审核通过 and 核定 refuse the form until they are filled.
    var missing: [String]
    var changedSinceReturn: [Change]
    /// The form's column names, in the order of each row's values.
    var columns: [String]
    var rows: [ReviewDesk.Row]
    var isBasic: Bool
    var answers: [AnswerSummary.Line]
    var failingCount: Int
    var explainedCount: Int
    var changedCount: Int
    var queueURL: String
    var prevURL: String?
    var nextURL: String?
    var queuePosition: Int
    var queueTotal: Int
    var mayApprove: Bool
    var mayReturn: Bool
    var mayVerify: Bool
    var mayReopen: Bool

    struct Message: Encodable { var text: String; var explanation: String }
    struct Change: Encodable { var cell: String; var name: String; var before: String; var now: String }
}
