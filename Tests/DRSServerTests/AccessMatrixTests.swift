import Foundation
import Testing
import Vapor

/// Every demo account × every demo unit × every form × every action, through the real routes, against
/// an expectation written here from the seed's organisation (not from the server's access table):
/// filers act on their own unit; a province reviews the units of its region, except a central
/// enterprise's headquarters and subsidiaries (their group) and 公安部 (公共5表 goes to the national
/// office); a headquarters fills its own forms, consolidates 企业2表 and reviews its subsidiaries; only
/// the national office verifies and reopens, and it may do everything.
///
/// Writes are sent so that an authorised request is then refused by validation (no version, no
/// body), so one platform serves the whole matrix: "allowed" means anything but 403 and 404.
///
/// Run on SQLite only: the decision does not depend on the database, and 35,000 requests in CI's
/// PostgreSQL pass would cost minutes for nothing new (the scope-leak and access suites run on both).
@Suite("Authorisation matrix", .serialized, .enabled(if: TestDatabase.isSQLite))
struct AccessMatrixTests {
    /// The demo organisation (DemoData): unit key → (name, province, respondent type, group).
    static let units: [(key: String, name: String, province: String, type: String, group: String?)] = [
        ("bj-data", "北京市政务服务和数据管理局", "11", "provincialDataDept", nil),
        ("sh-data", "上海市数据局", "31", "provincialDataDept", nil),
        ("gd-data", "广东省政务服务和数据管理局", "44", "provincialDataDept", nil),
        ("lab", "北京中关村实验室", "11", "researchInstitute", nil),
        ("sdc", "国家基因组科学数据中心", "11", "scienceDataCenter", nil),
        ("cmcc", "中国移动通信集团有限公司", "11", "centralEnterprise", "cmcc"),
        ("cmcc-gd", "中国移动通信集团广东有限公司", "44", "centralEnterprise", "cmcc"),
        ("cmcc-sh", "中国移动通信集团上海有限公司", "31", "centralEnterprise", "cmcc"),
        ("data-group", "上海数据集团有限公司", "31", "dataGroup", nil),
        ("exchange", "北京国际大数据交易所有限责任公司", "11", "dataExchange", nil),
        ("tech", "示例智能科技有限公司", "44", "dataTechEnterprise", nil),
        ("app", "示例制造股份有限公司", "31", "dataAppEnterprise", nil),
        ("space", "示例可信数据空间运营有限公司", "44", "trustedSpaceOperator", nil),
        ("assoc", "中国汽车工业协会", "11", "industryAssociation", nil),
        ("mps", "公安部网络安全保卫局", "11", "publicSecurity", nil),
    ]

    /// The forms each respondent type files (调查表式 of the seed).
    static let formsOfType: [String: Set<String>] = [
        "provincialDataDept": ["P1", "P2"], "researchInstitute": ["P1", "P3"], "scienceDataCenter": ["P1", "P4"],
        "publicSecurity": ["P5"], "centralEnterprise": ["E1", "E2"], "dataGroup": ["E1", "E3"], "dataExchange": ["E1", "E4"],
        "dataTechEnterprise": ["E1", "E5"], "dataAppEnterprise": ["E1", "E6"], "trustedSpaceOperator": ["E1", "E7"],
        "industryAssociation": ["I1"],
    ]
    static let forms = ["P1", "P2", "P3", "P4", "P5", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "I1"]

    enum Kind { case admin, filer, headquarters, province }
    /// The demo accounts: username → kind, own unit key, province.
    static let accounts: [(username: String, kind: Kind, unit: String?, province: String?)] = [
        ("admin", .admin, nil, nil),
        ("beijing-data", .filer, "bj-data", nil), ("shanghai-data", .filer, "sh-data", nil), ("guangdong-data", .filer, "gd-data", nil),
        ("lab", .filer, "lab", nil), ("sdc", .filer, "sdc", nil), ("cmcc-hq", .headquarters, "cmcc", nil),
        ("cmcc-gd", .filer, "cmcc-gd", nil), ("cmcc-sh", .filer, "cmcc-sh", nil), ("data-group", .filer, "data-group", nil),
        ("exchange", .filer, "exchange", nil), ("tech", .filer, "tech", nil), ("app", .filer, "app", nil), ("space", .filer, "space", nil),
        ("association", .filer, "assoc", nil), ("police", .filer, "mps", nil),
        ("review-beijing", .province, nil, "11"), ("review-guangdong", .province, nil, "44"),
    ]

    enum Action: String, CaseIterable {
        case viewUnit, viewForm, editForm, submitForm, viewReview, approve, returnForm, verify, reopen, viewConsolidation, consolidate
    }

    /// The request for an action; writes carry a body that validation refuses after authorisation.
    static func request(_ action: Action, unit: String, form: String) -> (HTTPMethod, String, String?) {
        let submission = "/api/v1/units/\(unit)/submissions/2026/\(form)"
        let consolidation = "/api/v1/units/\(unit)/consolidation/2026/\(form)"
        switch action {
        case .viewUnit: return (.GET, "/api/v1/units/\(unit)/forms/2026", nil)
        case .viewForm: return (.GET, submission, nil)
        case .editForm: return (.PUT, submission, #"{"values":{}}"#)
        case .submitForm: return (.POST, submission + "/submit", "{}")
        case .viewReview: return (.GET, submission + "/review", nil)
        case .approve: return (.POST, submission + "/approve", "{}")
        case .returnForm: return (.POST, submission + "/return", "{}")
        case .verify: return (.POST, submission + "/verify", "{}")
        case .reopen: return (.POST, submission + "/reopen", "{}")
        case .viewConsolidation: return (.GET, consolidation, nil)
        case .consolidate: return (.PUT, consolidation + "/own", #"{"values":{}}"#)
        }
    }

    /// Whether the seed's organisation lets the account do the action to the unit's form.
    static func expected(_ account: (username: String, kind: Kind, unit: String?, province: String?), _ action: Action,
                         _ unit: (key: String, name: String, province: String, type: String, group: String?), _ form: String) -> Bool {
        let files = formsOfType[unit.type]?.contains(form) == true
        let consolidation = unit.key == "cmcc" && form == "E2"
        if action == .viewConsolidation || action == .consolidate {
            guard consolidation else { return false }
            return account.kind == .admin || account.unit == "cmcc"
        }
        if action != .viewUnit, !files { return false }
        switch account.kind {
        case .admin:
            return true
        case .filer, .headquarters:
            if account.unit == unit.key { return [.viewUnit, .viewForm, .editForm, .submitForm].contains(action) }
            // A headquarters reviews its subsidiaries (verify and reopen are the national office's).
            if account.kind == .headquarters, unit.group == "cmcc", unit.key != "cmcc" {
                return [.viewUnit, .viewForm, .viewReview, .approve, .returnForm].contains(action)
            }
            return false
        case .province:
            let reportsThroughProvince = unit.province == account.province && unit.group == nil && unit.type != "publicSecurity"
            return reportsThroughProvince && [.viewUnit, .viewForm, .viewReview, .approve, .returnForm].contains(action)
        }
    }

    @Test func everyAccountUnitFormAndActionIsDecidedAsTheSeedSays() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            try await admin.login("admin")
            let registry = try await admin.send(.GET, "/api/v1/units").json["units"] as? [[String: Any]] ?? []
            var unitIDs: [String: String] = [:]
            for unit in Self.units {
                unitIDs[unit.key] = registry.first { $0["name"] as? String == unit.name }?["id"] as? String
            }
            #expect(unitIDs.count == Self.units.count, "every demo unit is in the registry")

            // One client per account, the accounts side by side (reads only; writes are refused by validation).
            struct Outcome: Sendable { var allows: [String] = [], denies: [String] = [], changes: [String] = [], requests = 0 }
            let started = Date()
            let ids = unitIDs
            let outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for account in Self.accounts {
                    group.addTask {
                        var result = Outcome()
                        var client = Client(app)
                        guard try await client.login(account.username).status == .ok else {
                            result.denies.append("login \(account.username)")
                            return result
                        }
                        for unit in Self.units {
                            guard let id = ids[unit.key] else { continue }
                            for form in Self.forms {
                                for action in Action.allCases {
                                    if action == .viewUnit, form != Self.forms[0] { continue }
                                    let (method, path, body) = Self.request(action, unit: id, form: form)
                                    let reply = try await client.send(method, path, json: body)
                                    result.requests += 1
                                    let allowed = ![.forbidden, .notFound].contains(reply.status)
                                    let expected = Self.expected(account, action, unit, form)
                                    let line = "\(account.username) \(action.rawValue) \(unit.key) \(form) → \(reply.status.code)"
                                    if allowed && !expected { result.allows.append(line) }
                                    if !allowed && expected { result.denies.append(line + " \(reply.text.prefix(120))") }
                                    // Nothing may succeed here: an authorised write must be refused by validation.
                                    if method != .GET, reply.status == .ok { result.changes.append(line) }
                                }
                            }
                        }
                        return result
                    }
                }
                var total = Outcome()
                for try await part in group {
                    total.allows += part.allows
                    total.denies += part.denies
                    total.changes += part.changes
                    total.requests += part.requests
                }
                return total
            }
            let (unexpectedAllows, unexpectedDenies, requests) = (outcome.allows.sorted(), outcome.denies.sorted(), outcome.requests)
            #expect(outcome.changes.isEmpty, "writes that went through: \(outcome.changes.prefix(10))")
            print("authorisation matrix: \(requests) requests in \(Int(Date().timeIntervalSince(started)))s, "
                  + "\(unexpectedAllows.count) unexpected allows, \(unexpectedDenies.count) unexpected denies")
            #expect(requests == Self.accounts.count * Self.units.count * (Self.forms.count * (Action.allCases.count - 1) + 1))
            #expect(unexpectedAllows.isEmpty, "unexpected allows:\n\(unexpectedAllows.prefix(40).joined(separator: "\n"))")
            #expect(unexpectedDenies.isEmpty, "unexpected denies:\n\(unexpectedDenies.prefix(40).joined(separator: "\n"))")
        }
    }
}
