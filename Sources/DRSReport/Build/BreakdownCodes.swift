import DRSCore

/// The rows of each breakdown and their Chinese names, from the catalog's code lists.
struct BreakdownCodes: Sendable {
    let provinces: [(code: String, name: String)]
    let types: [(code: String, name: String)]
    let industries: [(code: String, name: String)]
    static let unclassified = "-"

    init(catalog: CompiledCatalog) {
        let lists = catalog.catalog.codeLists
        provinces = (lists["provinces"]?.members ?? []).map { ($0.code, $0.name) }
        types = catalog.catalog.survey.respondentTypes.map { ($0.id, $0.name) }
        industries = (lists["industrySections"]?.members ?? []).map { ($0.code, $0.name) } + [(Self.unclassified, "未分类")]
    }

    func rows(_ breakdown: ReportTemplate.Breakdown) -> [(code: String, name: String)] {
        switch breakdown {
        case .national: [("Total", "全国")]
        case .province: provinces
        case .type: types
        case .industry: industries
        }
    }

    /// A short name for charts: 北京市 → 北京, 广西壮族自治区 → 广西.
    static func shortName(_ name: String) -> String {
        for suffix in ["维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"] where name.hasSuffix(suffix) && name.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    static func header(_ breakdown: ReportTemplate.Breakdown) -> String {
        switch breakdown {
        case .national: "指标"
        case .province: "省份"
        case .type: "调查对象类型"
        case .industry: "行业门类"
        }
    }
}
