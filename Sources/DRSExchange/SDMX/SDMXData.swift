import DRSCore

/// Aggregates as SDMX data messages (SDMX-ML 2.1 StructureSpecific and SDMX-JSON 1.0) against
/// `SDMXStructure`. Every observation carries its unit of measure, the number of units behind it and
/// a confidentiality status — `F` unless the caller's disclosure control says otherwise.
public struct SDMXData: Sendable {
    public struct Observation: Sendable, Equatable {
        /// Values of `SDMXStructure.dimensions`, in order.
        public var key: [String]
        public var period: String
        /// Exact decimal text; nil when disclosure control withholds the figure (CONF_STATUS C or D).
        public var value: String?
        public var unit: String
        public var units: Int
        public var confidentiality: String
    }

    public let structure: SDMXStructure
    public let observations: [Observation]

    /// - Parameters:
    ///   - table: totals of one form (any groupings over `province`, `type`, `industry`).
    ///   - confidentiality: the CONF_STATUS of a cell of a group (disclosure control); `F` by default.
    ///     An observation marked `C` (confidential, a primary cell) or `D` (secondary confidentiality)
    ///     carries no figure: SDMX-ML 2.1 structure-specific data leaves the primary measure out
    ///     (OBS_VALUE is an optional attribute there; “NaN” would read as a missing number, not a
    ///     withheld one), and SDMX-JSON gives the observation's value as null. The attributes stay.
    public init(structure: SDMXStructure, form: CompiledForm, table: AggregateTable, year: Int,
                confidentiality: (AggregateGroup, Int) -> String = { _, _ in "F" }) {
        self.structure = structure
        var observations: [Observation] = []
        for grouping in table.groupings {
            for group in grouping.groups {
                var region = SDMXStructure.nationalRegion, type = SDMXStructure.total, industry = SDMXStructure.total
                for (dimension, value) in zip(grouping.dimensions, group.key) {
                    switch dimension {
                    case "province": region = value.isEmpty ? SDMXStructure.unknown : value
                    case "type": type = value.isEmpty ? SDMXStructure.unknown : value
                    case "industry": industry = (value.isEmpty || value == "-") ? SDMXStructure.unknown : value
                    default: break
                    }
                }
                for slot in 0..<form.layout.count {
                    let cell = group.cell(slot)
                    guard let total = cell.total else { continue }
                    let layoutCell = form.layout.cells[slot]
                    let status = confidentiality(group, slot)
                    observations.append(Observation(
                        key: [SDMXStructure.indicatorID(form: form.form.id, code: layoutCell.key.code), layoutCell.key.column,
                              layoutCell.key.member ?? SDMXStructure.notApplicable, region, type, industry],
                        period: String(year), value: Self.withheld.contains(status) ? nil : total.normalized.description,
                        unit: SDMXStructure.unitID(layoutCell.unit), units: cell.units, confidentiality: status))
                }
            }
        }
        self.observations = observations
    }

    /// CONF_STATUS codes whose observations carry no figure.
    static let withheld: Set<String> = ["C", "D"]

    static let header = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=\(SDMXStructure.agency):\(SDMXStructure.dsdID)(\(SDMXStructure.version))"

    /// SDMX-ML 2.1 StructureSpecific data message: one series per key, the period at observation level.
    public func structureSpecificXML(id: String, prepared: String) -> String {
        var x = SDMXMarkup()
        x.line(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        x.line("<message:StructureSpecificData xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\" xmlns:ss=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific\" xmlns:common=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:ns1=\"\(Self.header):ObsLevelDim:TIME_PERIOD\">")
        x.line("<message:Header><message:ID>\(SDMXMarkup.escape(id))</message:ID><message:Test>false</message:Test><message:Prepared>\(SDMXMarkup.escape(prepared))</message:Prepared><message:Sender id=\"\(SDMXStructure.agency)\"/>")
        x.line("<message:Structure structureID=\"\(SDMXStructure.dsdID)\" namespace=\"\(Self.header):ObsLevelDim:TIME_PERIOD\" dimensionAtObservation=\"TIME_PERIOD\"><common:Structure><Ref agencyID=\"\(SDMXStructure.agency)\" id=\"\(SDMXStructure.dsdID)\" version=\"\(SDMXStructure.version)\"/></common:Structure></message:Structure></message:Header>")
        x.line("<message:DataSet ss:structureRef=\"\(SDMXStructure.dsdID)\" xsi:type=\"ns1:DataSetType\" ss:dataScope=\"DataStructure\" action=\"Information\">")
        let names = structure.dimensions.map(\.id)
        for o in observations {
            let attributes = zip(names, o.key).map { "\($0)=\"\(SDMXMarkup.escape($1))\"" }.joined(separator: " ")
            x.line("<Series \(attributes)><Obs TIME_PERIOD=\"\(o.period)\"\(o.value.map { " OBS_VALUE=\"\($0)\"" } ?? "") UNIT_MEASURE=\"\(SDMXMarkup.escape(o.unit))\" UNIT_COUNT=\"\(o.units)\" CONF_STATUS=\"\(o.confidentiality)\"/></Series>")
        }
        x.line("</message:DataSet>")
        x.line("</message:StructureSpecificData>")
        return x.text
    }

    /// SDMX-JSON 1.0 data message, every dimension at observation level; values stay exact (JSON
    /// numbers written from the decimal text).
    public func json(id: String, prepared: String) -> JSONValue {
        let dims = structure.dimensions
        var valueIndex: [[String: Int]] = Array(repeating: [:], count: dims.count + 1)
        var valueLists: [[String]] = Array(repeating: [], count: dims.count + 1)
        func index(_ d: Int, _ value: String) -> Int {
            if let i = valueIndex[d][value] { return i }
            valueIndex[d][value] = valueLists[d].count
            valueLists[d].append(value)
            return valueLists[d].count - 1
        }
        var attributeIndex: [[String: Int]] = [[:], [:], [:]]
        var attributeValues: [[String]] = [[], [], []]
        func attribute(_ a: Int, _ value: String) -> Int {
            if let i = attributeIndex[a][value] { return i }
            attributeIndex[a][value] = attributeValues[a].count
            attributeValues[a].append(value)
            return attributeValues[a].count - 1
        }
        var observations: [(String, JSONValue)] = []
        for o in self.observations {
            let key = (o.key.enumerated().map { index($0.offset, $0.element) } + [index(dims.count, o.period)]).map(String.init).joined(separator: ":")
            observations.append((key, .array([o.value.map { .number($0) } ?? .null, .number(String(attribute(0, o.unit))), .number(String(attribute(1, String(o.units)))),
                                               .number(String(attribute(2, o.confidentiality)))])))
        }
        func names(_ codelist: String) -> [String: String] {
            Dictionary((structure.codelist(codelist)?.codes ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        }
        var dimensionJSON: [JSONValue] = dims.enumerated().map { d, dim in
            let n = names(dim.codelist)
            return .object([("id", .string(dim.id)), ("name", .string(dim.name)), ("keyPosition", .number(String(d))),
                            ("values", .array(valueLists[d].map { .object([("id", .string($0)), ("name", .string(n[$0] ?? $0))]) }))])
        }
        dimensionJSON.append(.object([("id", .string("TIME_PERIOD")), ("name", .string("数据年度")), ("role", .string("time")),
                                      ("values", .array(valueLists[dims.count].map { .object([("id", .string($0)), ("name", .string($0))]) }))]))
        let unitNames = names("CL_UNIT_MEASURE"), confNames = names("CL_CONF_STATUS")
        let attributes: [JSONValue] = [
            .object([("id", .string("UNIT_MEASURE")), ("name", .string("计量单位")), ("values", .array(attributeValues[0].map { .object([("id", .string($0)), ("name", .string(unitNames[$0] ?? $0))]) }))]),
            .object([("id", .string("UNIT_COUNT")), ("name", .string("单位数")), ("values", .array(attributeValues[1].map { .object([("id", .string($0)), ("name", .string($0))]) }))]),
            .object([("id", .string("CONF_STATUS")), ("name", .string("保密状态")), ("values", .array(attributeValues[2].map { .object([("id", .string($0)), ("name", .string(confNames[$0] ?? $0))]) }))]),
        ]
        return .object([
            ("header", .object([("id", .string(id)), ("test", .bool(false)), ("prepared", .string(prepared)),
                                ("sender", .object([("id", .string(SDMXStructure.agency)), ("name", .string("国家数据局"))]))])),
            ("dataSets", .array([.object([("action", .string("Information")), ("observations", .object(observations))])])),
            ("structure", .object([
                ("name", .string("全国数据资源统计调查汇总数据")),
                ("dimensions", .object([("dataSet", .array([])), ("series", .array([])), ("observation", .array(dimensionJSON))])),
                ("attributes", .object([("dataSet", .array([])), ("series", .array([])), ("observation", .array(attributes))])),
            ])),
        ])
    }
}
