/// Chinese names for synthetic units: real names from the catalog's registries where it has them
/// (central enterprises, science data centres, laboratories, associations, AI service filers), and
/// plausible made-up ones elsewhere.
struct NationNames {
    static let brandHeads = Array("华中金长恒瑞云智数联创科信通达启宇晟博芯星源汇鼎天海新润泰安远弘嘉鸿凯盛和")
    static let brandTails = Array("讯视图谱链算维明方辰途桥衡舟岳峰川泽宸诺睿拓航迅捷越朗")
    static let appTrades = ["制造", "汽车", "医药", "物流", "能源", "零售", "电子", "材料", "农业科技", "文旅", "金融科技", "建设", "化工", "纺织"]
    static let researchFields = ["人工智能", "先进计算", "生物医药", "新材料", "海洋科学", "空天信息", "农业科学", "地球科学", "量子信息", "能源技术"]
    static let associationFields = ["人工智能产业", "大数据产业", "软件行业", "互联网", "汽车工业", "电子信息行业", "物联网", "智能制造"]

    /// A province's short name: 广东省 → 广东, 内蒙古自治区 → 内蒙古, 北京市 → 北京.
    static func short(_ province: String) -> String {
        for suffix in ["维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"] where province.hasSuffix(suffix) {
            return String(province.dropLast(suffix.count))
        }
        return province
    }

    static func brand(_ random: inout NationRandom) -> String {
        let head = brandHeads[random.below(brandHeads.count)], tail = brandTails[random.below(brandTails.count)]
        return String([head, tail])
    }

    /// A made-up name for a unit of `type` in `province` (full name, e.g. 广东省).
    static func made(type: String, province: String, random: inout NationRandom) -> String {
        let place = short(province)
        let brand = brand(&random)
        switch type {
        case "provincialDataDept": return "\(province)数据局"
        case "publicSecurity": return "公安部网络安全保卫局"
        case "researchInstitute": return "\(place)\(brand)\(researchFields[random.below(researchFields.count)])研究院"
        case "scienceDataCenter": return "国家\(researchFields[random.below(researchFields.count)])科学数据中心\(place)分中心"
        case "dataGroup": return "\(place)\(brand)数据集团有限公司"
        case "dataExchange": return "\(place)\(brand)数据交易所有限公司"
        case "trustedSpaceOperator": return "\(place)\(brand)可信数据空间运营有限公司"
        case "industryAssociation": return "\(place)\(associationFields[random.below(associationFields.count)])协会"
        case "dataAppEnterprise": return "\(place)\(brand)\(appTrades[random.below(appTrades.count)])股份有限公司"
        default: return "\(place)\(brand)信息科技有限公司"
        }
    }

    /// A subsidiary of a central enterprise in a province: 中国移动通信集团有限公司 → 中国移动通信集团广东有限公司.
    static func subsidiary(of headquarters: String, province: String) -> String {
        let place = short(province)
        for suffix in ["有限责任公司", "有限公司", "公司"] where headquarters.hasSuffix(suffix) {
            return String(headquarters.dropLast(suffix.count)) + place + "分公司"
        }
        return headquarters + place + "分公司"
    }
}
