/// The proportions of the synthetic nation: which provinces hold most units, what share each
/// respondent type has, how big its units are. Keyed by the catalog's codes; a province or type the
/// table does not name gets a small default, so a new edition still generates.
enum NationMix {
    /// Relative number of units by province (GB/T 2260), after the 2024 edition's concentration:
    /// 广东, 江苏, 山东, 浙江, 河南, 四川 with 北京 and 上海 lead; the west is thin.
    static let provinceWeights: [String: Double] = [
        "440000": 13, "320000": 10, "370000": 8, "330000": 9, "410000": 6, "510000": 6, "110000": 10, "310000": 8,
        "420000": 4, "350000": 4, "430000": 3.5, "340000": 3.5, "130000": 3, "610000": 2.5, "500000": 2.5,
        "210000": 2, "360000": 2, "120000": 2, "450000": 1.8, "530000": 1.5, "520000": 1.5, "140000": 1.3,
        "150000": 1.2, "230000": 1, "220000": 0.9, "650000": 0.8, "620000": 0.7, "460000": 0.6, "640000": 0.5,
        "630000": 0.3, "540000": 0.2,
    ]
    static let defaultProvinceWeight = 0.5
    /// Units in provinces at least this heavy are twice as big (volume concentrates where units do).
    static let leadingProvinceWeight = 6.0

    /// Relative number of units beyond the per-province minimum, by respondent type.
    static let typeWeights: [String: Double] = [
        "dataTechEnterprise": 40, "dataAppEnterprise": 37, "researchInstitute": 6, "centralEnterprise": 6,
        "trustedSpaceOperator": 3, "dataGroup": 2.5, "dataExchange": 1, "industryAssociation": 1, "scienceDataCenter": 0.5,
    ]
    static let defaultTypeWeight = 0.5

    /// Integer size multiplier by type (on top of the Pareto draw): a provincial data department or a
    /// central enterprise's headquarters holds far more than an association.
    static let typeSize: [String: Int] = [
        "provincialDataDept": 20, "publicSecurity": 20, "centralEnterprise": 2, "dataGroup": 3, "dataExchange": 2,
        "dataTechEnterprise": 1, "dataAppEnterprise": 1, "researchInstitute": 2, "scienceDataCenter": 4,
        "trustedSpaceOperator": 1, "industryAssociation": 1,
    ]

    /// Types with exactly one unit per province.
    static let onePerProvince: Set<String> = ["provincialDataDept"]

    /// Combined types of a small nation's per-province units (every type still in every province).
    static let smallNationGroups: [[String]] = [
        ["researchInstitute", "scienceDataCenter"],
        ["dataGroup", "dataExchange", "trustedSpaceOperator"],
        ["dataTechEnterprise", "dataAppEnterprise"],
    ]
    /// From this many units on, every type has its own unit in every province.
    static let singleTypeThreshold = 600

    /// GB/T 4754-2017 classes by type (a unit of several types takes its first type's).
    static let industryClasses: [String: [String]] = [
        "provincialDataDept": ["9221"], "publicSecurity": ["9224"], "researchInstitute": ["7320", "7310", "7340"],
        "scienceDataCenter": ["7320", "6450"], "dataGroup": ["6450", "6540"], "dataExchange": ["7299"],
        "dataTechEnterprise": ["6410", "6421", "6450", "6510", "6513", "6520", "6550", "6560"],
        "trustedSpaceOperator": ["6450", "6550"], "industryAssociation": ["9521"], "telecomOperator": ["6311", "6312"],
    ]

    /// First two characters of the 统一社会信用代码: 11 机关, 12 事业单位, 51 社会团体, 91 企业.
    static let creditPrefix: [String: String] = [
        "provincialDataDept": "11", "publicSecurity": "11", "researchInstitute": "12", "scienceDataCenter": "12",
        "industryAssociation": "51",
    ]

    /// Probability that an enterprise of the type is state-owned / an internet platform.
    static let stateOwnedShare: [String: Double] = [
        "centralEnterprise": 1, "dataGroup": 1, "dataExchange": 0.8, "trustedSpaceOperator": 0.3, "dataAppEnterprise": 0.1,
        "dataTechEnterprise": 0.05,
    ]
    static let internetPlatformShare: [String: Double] = ["dataTechEnterprise": 0.12, "dataAppEnterprise": 0.03]

    /// Shares of this year's units that are new (no Y−1 figures), and that did not reach 已核定.
    static let newShare = 0.04
    static let submittedShare = 0.02
    static let draftShare = 0.01
    /// Cap of the Pareto size draw (keeps every figure far below the 10^15 a cell may hold).
    static let sizeCap = 100_000
}
