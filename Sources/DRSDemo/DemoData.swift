import DRSCore
import DRSStorage
import FluentKit
import Foundation

/// `drs serve --demo`: units of every respondent type in several provinces, accounts for each role,
/// and last year's verified figures so that 上年同期 carry-over and year-over-year checks are visible.
public enum DemoData {
    /// The password of every demo account.
    public static let password = "demo2026"

    struct DemoUnit {
        var key: String
        var name: String
        var region: String
        var types: [String]
        var stateOwned = false
        var internetPlatform = false
        var telecomOperator = false
        var parent: String? = nil
    }

    static let units: [DemoUnit] = [
        .init(key: "bj-data", name: "北京市政务服务和数据管理局", region: "110000", types: ["provincialDataDept"]),
        .init(key: "sh-data", name: "上海市数据局", region: "310000", types: ["provincialDataDept"]),
        .init(key: "gd-data", name: "广东省政务服务和数据管理局", region: "440000", types: ["provincialDataDept"]),
        .init(key: "lab", name: "北京中关村实验室", region: "110000", types: ["researchInstitute"]),
        .init(key: "sdc", name: "国家基因组科学数据中心", region: "110000", types: ["scienceDataCenter"]),
        .init(key: "cmcc", name: "中国移动通信集团有限公司", region: "110000", types: ["centralEnterprise"], stateOwned: true, telecomOperator: true),
        .init(key: "cmcc-gd", name: "中国移动通信集团广东有限公司", region: "440000", types: ["centralEnterprise"], stateOwned: true,
              telecomOperator: true, parent: "cmcc"),
        .init(key: "cmcc-sh", name: "中国移动通信集团上海有限公司", region: "310000", types: ["centralEnterprise"], stateOwned: true,
              telecomOperator: true, parent: "cmcc"),
        .init(key: "data-group", name: "上海数据集团有限公司", region: "310000", types: ["dataGroup"], stateOwned: true),
        .init(key: "exchange", name: "北京国际大数据交易所有限责任公司", region: "110000", types: ["dataExchange"], stateOwned: true),
        .init(key: "tech", name: "示例智能科技有限公司", region: "440000", types: ["dataTechEnterprise"], internetPlatform: true),
        .init(key: "app", name: "示例制造股份有限公司", region: "310000", types: ["dataAppEnterprise"]),
        .init(key: "space", name: "示例可信数据空间运营有限公司", region: "440000", types: ["trustedSpaceOperator"]),
        .init(key: "assoc", name: "中国汽车工业协会", region: "110000", types: ["industryAssociation"]),
        .init(key: "mps", name: "公安部网络安全保卫局", region: "110000", types: ["publicSecurity"]),
    ]

    /// GB/T 4754-2017 divisions the statistics office assigned (行业代码), for aggregates by industry.
    static let industries: [String: String] = [
        "bj-data": "9221", "sh-data": "9221", "gd-data": "9221", "lab": "7320", "sdc": "7320", "cmcc": "6311", "cmcc-gd": "6311",
        "cmcc-sh": "6311", "data-group": "6450", "exchange": "7299", "tech": "6513", "app": "3812", "space": "6450", "assoc": "9521",
        "mps": "9224",
    ]

    /// (username, role, unit key or region, display name)
    static let accounts: [(String, Role, String?, String?, String)] = [
        ("admin", .admin, nil, nil, "国家数据局管理员"),
        ("beijing-data", .respondent, "bj-data", nil, "北京市数据局填报人"),
        ("shanghai-data", .respondent, "sh-data", nil, "上海市数据局填报人"),
        ("guangdong-data", .respondent, "gd-data", nil, "广东省数据局填报人"),
        ("lab", .respondent, "lab", nil, "中关村实验室填报人"),
        ("sdc", .respondent, "sdc", nil, "基因组数据中心填报人"),
        ("cmcc-hq", .headquartersReviewer, "cmcc", nil, "中国移动总部审核员"),
        ("cmcc-gd", .respondent, "cmcc-gd", nil, "广东移动填报人"),
        ("cmcc-sh", .respondent, "cmcc-sh", nil, "上海移动填报人"),
        ("data-group", .respondent, "data-group", nil, "上海数据集团填报人"),
        ("exchange", .respondent, "exchange", nil, "北京国际大数据交易所填报人"),
        ("tech", .respondent, "tech", nil, "数据技术企业填报人"),
        ("app", .respondent, "app", nil, "数据应用企业填报人"),
        ("space", .respondent, "space", nil, "可信数据空间运营机构填报人"),
        ("association", .association, "assoc", nil, "汽车工业协会填报人"),
        ("police", .publicSecurity, "mps", nil, "公安部填报人"),
        ("review-beijing", .provincialReviewer, nil, "110000", "北京市审核员"),
        ("review-guangdong", .provincialReviewer, nil, "440000", "广东省审核员"),
    ]

    /// A valid 统一社会信用代码 for the n-th demo unit (check characters computed).
    public static func creditCode(_ index: Int, region: String) -> String {
        let body = String(format: "%08d", 10_000_000 + index * 7919)
        return CreditCode.completing("91" + region + body + "0")
    }

    /// Writes the demo units, accounts and last year's verified figures, once: nothing when the
    /// database already has an `admin` account. `hash` turns the demo password into the stored hash
    /// (the server's password hasher); `store` is the server's submission store (its write gate).
    public static func seed(on db: any Database, catalog: CompiledCatalog, surveyYear: Int, store: SubmissionStore,
                            hash: @Sendable (String) async throws -> String) async throws {
        if try await UserAccount.query(on: db).filter(\.$username == "admin").first() != nil { return }
        let ids = try await createUnits(on: db)
        let passwordHash = try await hash(password)
        for (username, role, unitKey, region, name) in accounts {
            try await UserAccount(username: username, displayName: name, passwordHash: passwordHash, role: role,
                                  unitID: unitKey.flatMap { ids[$0] }, regionCode: region, mustChangePassword: false).create(on: db)
        }
        try await verifyLastYear(on: db, catalog: catalog, year: surveyYear - 1, store: store)
    }

    private static func createUnits(on db: any Database) async throws -> [String: UUID] {
        var ids: [String: UUID] = [:]
        for (index, u) in units.enumerated() {
            let unit = SurveyUnit(creditCode: creditCode(index + 1, region: u.region), name: u.name, regionCode: u.region,
                                  address: "", types: u.types, stateOwned: u.stateOwned, internetPlatform: u.internetPlatform,
                                  telecomOperator: u.telecomOperator, parentID: u.parent.flatMap { ids[$0] }, contact: "010-12345678")
            unit.industryCode = industries[u.key]
            try await unit.create(on: db)
            ids[u.key] = try unit.requireID()
        }
        return ids
    }

    /// Last year's verified figures for every numeric form of every unit: carry-over and year-over-year checks.
    private static func verifyLastYear(on db: any Database, catalog: CompiledCatalog, year: Int, store: SubmissionStore) async throws {
        let survey = catalog.catalog.survey
        let measures = Dictionary(uniqueKeysWithValues: survey.units.map { ($0.id, $0) })
        let actor = Actor(userID: nil, username: "system", address: "-")
        for (index, unit) in try await SurveyUnit.query(on: db).all().enumerated() {
            let profile = UnitProfile(telecomOperator: unit.telecomOperator, stateOwned: unit.stateOwned, internetPlatform: unit.internetPlatform)
            let forms = catalog.orderedForms.filter { form in
                form.form.kind != .basicInfo && unit.typeList.contains { survey.respondentType($0)?.forms.contains(form.form.id) == true }
            }
            for form in forms {
                let seed = UInt64(index * 100 + form.form.id.unicodeScalars.reduce(0) { $0 + Int($1.value) })
                let values = SampleSubmissions.clean(form, seed: seed, profile: profile, units: measures)
                let s = try await store.findOrCreate(unitID: try unit.requireID(), formID: form.form.id, year: year)
                let id = try s.requireID()
                try await store.saveDraft(id: id, expectedVersion: s.version, cells: form.cellMap(values), explanations: [:], actor: actor)
                _ = try await store.transition(id: id, from: [.draft], to: .submitted, actor: actor)
                _ = try await store.transition(id: id, from: [.submitted], to: .approved, actor: actor)
                _ = try await store.transition(id: id, from: [.approved], to: .verified, actor: actor)
            }
        }
    }

    /// The accounts, for the start-up banner.
    public static var banner: String {
        var lines = ["演示账户（密码均为 \(password)）："]
        for (username, role, _, _, name) in accounts { lines.append("  \(username.padding(toLength: 18, withPad: " ", startingAt: 0)) \(role.chineseName)：\(name)") }
        return lines.joined(separator: "\n")
    }
}
