import DRSCore

/// The SDMX data structure of the survey, generated from the catalog: one data structure definition
/// (DSD) whose dimensions are indicator, column, breakdown member, region, respondent type, industry
/// and period, whose measure is the exact value, and whose attributes are the unit of measure, the
/// number of contributing units and the confidentiality status (for disclosure control to fill).
public struct SDMXStructure: Sendable {
    public static let agency = "CN_NDA"        // 国家数据局
    public static let dsdID = "DSD_DRS"
    public static let dataflowID = "DF_DRS"
    public static let version = "1.0"
    /// SDMX cross-domain codes: total, not applicable, unknown.
    public static let total = "_T", notApplicable = "_Z", unknown = "_X"
    public static let nationalRegion = "000000"
    /// Confidentiality (CL_CONF_STATUS): F free, C confidential, D secondary suppression, N not for publication.
    public static let confidentialityCodes = [("F", "可公开"), ("C", "保密（首要隐藏）"), ("D", "保密（次级隐藏）"), ("N", "不公开发布")]

    public struct Code: Sendable, Equatable { public var id: String; public var name: String; public var parent: String? = nil }
    public struct Codelist: Sendable { public var id: String; public var name: String; public var codes: [Code] }
    public struct Dimension: Sendable { public var id: String; public var name: String; public var codelist: String }

    public let edition: String
    public let codelists: [Codelist]
    /// In key order (TIME_PERIOD follows them).
    public let dimensions: [Dimension]

    public init(_ catalog: Catalog) {
        edition = catalog.survey.edition
        var indicators: [Code] = []
        for form in catalog.forms where form.kind != .basicInfo {
            for i in form.allIndicators {
                indicators.append(Code(id: Self.indicatorID(form: form.id, code: i.code), name: "\(form.tableNumber) \(i.code) \(i.name)",
                                       parent: i.parent.map { Self.indicatorID(form: form.id, code: $0) }))
            }
        }
        let columns = catalog.survey.columns.map { Code(id: $0.id, name: $0.name) }
        var breakdown: [Code] = [Code(id: Self.notApplicable, name: "无分组")]
        var seen = Set<String>()
        for list in ["securityRegions", "provinces", "industrySections"] {
            for m in catalog.codeLists[list]?.members ?? [] where seen.insert(m.code).inserted { breakdown.append(Code(id: m.code, name: m.name)) }
        }
        let regions = [Code(id: Self.nationalRegion, name: "全国")] + (catalog.codeLists["securityRegions"]?.members ?? catalog.codeLists["provinces"]?.members ?? [])
            .filter { $0.code != Self.nationalRegion }.map { Code(id: $0.code, name: $0.name) }
        let types = [Code(id: Self.total, name: "全部调查对象")] + catalog.survey.respondentTypes.map { Code(id: $0.id, name: $0.name) }
        let industries = [Code(id: Self.total, name: "全部行业"), Code(id: Self.unknown, name: "未分类")]
            + (catalog.codeLists["industrySections"]?.members ?? []).map { Code(id: $0.code, name: $0.name) }
        let units = catalog.survey.units.map { Code(id: Self.unitID($0.id), name: $0.name) }
        codelists = [
            Codelist(id: "CL_INDICATOR", name: "指标", codes: indicators),
            Codelist(id: "CL_COLUMN", name: "栏目", codes: columns),
            Codelist(id: "CL_BREAKDOWN", name: "指标分组（分省、分行业）", codes: breakdown),
            Codelist(id: "CL_REGION", name: "调查单位所在地区", codes: regions),
            Codelist(id: "CL_RESP_TYPE", name: "调查对象类型", codes: types),
            Codelist(id: "CL_INDUSTRY", name: "调查单位行业门类（GB/T 4754-2017）", codes: industries),
            Codelist(id: "CL_UNIT_MEASURE", name: "计量单位", codes: units),
            Codelist(id: "CL_CONF_STATUS", name: "保密状态", codes: Self.confidentialityCodes.map { Code(id: $0.0, name: $0.1) }),
        ]
        dimensions = [
            Dimension(id: "INDICATOR", name: "指标", codelist: "CL_INDICATOR"),
            Dimension(id: "COLUMN", name: "栏目", codelist: "CL_COLUMN"),
            Dimension(id: "BREAKDOWN", name: "指标分组", codelist: "CL_BREAKDOWN"),
            Dimension(id: "REGION", name: "地区", codelist: "CL_REGION"),
            Dimension(id: "RESP_TYPE", name: "调查对象类型", codelist: "CL_RESP_TYPE"),
            Dimension(id: "INDUSTRY", name: "行业门类", codelist: "CL_INDUSTRY"),
        ]
    }

    public static func indicatorID(form: String, code: String) -> String { "\(form)_\(code)" }

    /// SDMX ids allow letters, digits, _ @ $ -: units such as 万元 or % get ASCII ids.
    public static func unitID(_ unit: String) -> String {
        let known = ["万元": "CNY_10K", "千元": "CNY_1K", "%": "PCT", "个": "NUM", "次": "TIMES", "台": "SETS", "万个": "NUM_10K",
                     "次/周": "TIMES_PER_WEEK", "天": "DAYS", "年": "YEARS", "人": "PERSONS"]
        if let id = known[unit] { return id }
        let ascii = unit.unicodeScalars.allSatisfy { ($0.value >= 48 && $0.value <= 57) || ($0.value >= 65 && $0.value <= 90) || ($0.value >= 97 && $0.value <= 122) }
        return ascii ? unit : "U_" + String(unit.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: "_"))
    }

    public func codelist(_ id: String) -> Codelist? { codelists.first { $0.id == id } }

    /// SDMX-ML 2.1 structure message: codelists, concept scheme, the DSD and its dataflow.
    public func xml(prepared: String) -> String {
        var x = SDMXMarkup()
        x.line(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        x.line(#"<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" xmlns:xml="http://www.w3.org/XML/1998/namespace">"#)
        x.line("<mes:Header><mes:ID>DRS_STRUCTURE_\(SDMXMarkup.escape(edition))</mes:ID><mes:Test>false</mes:Test><mes:Prepared>\(SDMXMarkup.escape(prepared))</mes:Prepared><mes:Sender id=\"\(Self.agency)\"/></mes:Header>")
        x.line("<mes:Structures>")
        x.line("<str:Codelists>")
        for list in codelists {
            x.line("<str:Codelist id=\"\(list.id)\" agencyID=\"\(Self.agency)\" version=\"\(Self.version)\"><com:Name xml:lang=\"zh\">\(SDMXMarkup.escape(list.name))</com:Name>")
            for code in list.codes {
                var line = "<str:Code id=\"\(SDMXMarkup.escape(code.id))\"><com:Name xml:lang=\"zh\">\(SDMXMarkup.escape(code.name))</com:Name>"
                if let parent = code.parent { line += "<str:Parent><Ref id=\"\(SDMXMarkup.escape(parent))\"/></str:Parent>" }
                x.line(line + "</str:Code>")
            }
            x.line("</str:Codelist>")
        }
        x.line("</str:Codelists>")
        let concepts = dimensions.map { ($0.id, $0.name) } + [("TIME_PERIOD", "数据年度"), ("OBS_VALUE", "数值"), ("UNIT_MEASURE", "计量单位"),
                                                              ("UNIT_COUNT", "单位数"), ("CONF_STATUS", "保密状态")]
        x.line("<str:Concepts><str:ConceptScheme id=\"CS_DRS\" agencyID=\"\(Self.agency)\" version=\"\(Self.version)\"><com:Name xml:lang=\"zh\">数据资源调查概念</com:Name>")
        for (id, name) in concepts { x.line("<str:Concept id=\"\(id)\"><com:Name xml:lang=\"zh\">\(SDMXMarkup.escape(name))</com:Name></str:Concept>") }
        x.line("</str:ConceptScheme></str:Concepts>")
        x.line("<str:DataStructures><str:DataStructure id=\"\(Self.dsdID)\" agencyID=\"\(Self.agency)\" version=\"\(Self.version)\"><com:Name xml:lang=\"zh\">全国数据资源统计调查</com:Name><str:DataStructureComponents>")
        x.line("<str:DimensionList id=\"DimensionDescriptor\">")
        for (position, d) in dimensions.enumerated() {
            x.line("<str:Dimension id=\"\(d.id)\" position=\"\(position + 1)\">\(conceptRef(d.id))<str:LocalRepresentation><str:Enumeration>\(codelistRef(d.codelist))</str:Enumeration></str:LocalRepresentation></str:Dimension>")
        }
        x.line("<str:TimeDimension id=\"TIME_PERIOD\" position=\"\(dimensions.count + 1)\">\(conceptRef("TIME_PERIOD"))<str:LocalRepresentation><str:TextFormat textType=\"ObservationalTimePeriod\"/></str:LocalRepresentation></str:TimeDimension>")
        x.line("</str:DimensionList>")
        x.line("<str:AttributeList id=\"AttributeDescriptor\">")
        x.line("<str:Attribute id=\"UNIT_MEASURE\" assignmentStatus=\"Mandatory\">\(conceptRef("UNIT_MEASURE"))<str:LocalRepresentation><str:Enumeration>\(codelistRef("CL_UNIT_MEASURE"))</str:Enumeration></str:LocalRepresentation><str:AttributeRelationship><str:PrimaryMeasure><Ref id=\"OBS_VALUE\"/></str:PrimaryMeasure></str:AttributeRelationship></str:Attribute>")
        x.line("<str:Attribute id=\"UNIT_COUNT\" assignmentStatus=\"Mandatory\">\(conceptRef("UNIT_COUNT"))<str:LocalRepresentation><str:TextFormat textType=\"Integer\"/></str:LocalRepresentation><str:AttributeRelationship><str:PrimaryMeasure><Ref id=\"OBS_VALUE\"/></str:PrimaryMeasure></str:AttributeRelationship></str:Attribute>")
        x.line("<str:Attribute id=\"CONF_STATUS\" assignmentStatus=\"Mandatory\">\(conceptRef("CONF_STATUS"))<str:LocalRepresentation><str:Enumeration>\(codelistRef("CL_CONF_STATUS"))</str:Enumeration></str:LocalRepresentation><str:AttributeRelationship><str:PrimaryMeasure><Ref id=\"OBS_VALUE\"/></str:PrimaryMeasure></str:AttributeRelationship></str:Attribute>")
        x.line("</str:AttributeList>")
        x.line("<str:MeasureList id=\"MeasureDescriptor\"><str:PrimaryMeasure id=\"OBS_VALUE\">\(conceptRef("OBS_VALUE"))<str:LocalRepresentation><str:TextFormat textType=\"Decimal\"/></str:LocalRepresentation></str:PrimaryMeasure></str:MeasureList>")
        x.line("</str:DataStructureComponents></str:DataStructure></str:DataStructures>")
        x.line("<str:Dataflows><str:Dataflow id=\"\(Self.dataflowID)\" agencyID=\"\(Self.agency)\" version=\"\(Self.version)\"><com:Name xml:lang=\"zh\">全国数据资源统计调查汇总数据</com:Name><str:Structure><Ref id=\"\(Self.dsdID)\" agencyID=\"\(Self.agency)\" version=\"\(Self.version)\" package=\"datastructure\" class=\"DataStructure\"/></str:Structure></str:Dataflow></str:Dataflows>")
        x.line("</mes:Structures>")
        x.line("</mes:Structure>")
        return x.text
    }

    func conceptRef(_ id: String) -> String {
        "<str:ConceptIdentity><Ref id=\"\(id)\" maintainableParentID=\"CS_DRS\" maintainableParentVersion=\"\(Self.version)\" agencyID=\"\(Self.agency)\" package=\"conceptscheme\" class=\"Concept\"/></str:ConceptIdentity>"
    }

    func codelistRef(_ id: String) -> String {
        "<Ref id=\"\(id)\" version=\"\(Self.version)\" agencyID=\"\(Self.agency)\" package=\"codelist\" class=\"Codelist\"/>"
    }
}

/// Builds XML text line by line, escaping what must be escaped.
struct SDMXMarkup {
    var text = ""
    mutating func line(_ s: String) {
        text += s
        text += "\n"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters.
                if c.value < 0x20, c != "\n", c != "\t", c != "\r" { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
