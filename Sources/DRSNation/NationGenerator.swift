import DRSCore

/// A synthetic nation for the demo, the tests and the scale work: a registry with every respondent
/// type in every province, and two years (Y−1 and Y) of figures that pass every rule of their forms.
///
/// The registry is built at once (it is small); figures are made per unit on demand, each unit from
/// its own random stream, so a loader can generate them on all cores in any order and stream them
/// out — the same seed always gives the same bytes.
public struct NationGenerator: Sendable {
    public let spec: NationSpec
    /// The registry, parents before subsidiaries.
    public let units: [NationUnit]
    let figures: NationFigures

    public init(catalog: CompiledCatalog, spec: NationSpec) throws(NationError) {
        if let problem = spec.problem { throw NationError(problem) }
        let source = catalog.catalog
        guard let provinceList = source.codeLists["provinces"], !provinceList.members.isEmpty else {
            throw NationError("调查目录中没有省级行政区划代码表（provinces）")
        }
        let provinces = provinceList.members.map(\.code)
        let plan = try NationPlan(survey: source.survey, registries: source.registries, provinces: provinces, units: spec.units, seed: spec.seed)
        var registry = NationRegistry(survey: source.survey, registries: source.registries,
                                      provinceNames: Dictionary(provinceList.members.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a }),
                                      divisions: source.codeLists["industryDivisions"]?.members.map(\.code) ?? [], seed: spec.seed)
        self.spec = spec
        self.units = registry.units(plan)
        let measures = Dictionary(source.survey.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var scalings: [String: FormScaling] = [:], basic: [String: CompiledForm] = [:]
        for form in catalog.orderedForms {
            if form.form.kind == .basicInfo { basic[form.form.id] = form } else { scalings[form.form.id] = FormScaling(form: form, units: measures) }
        }
        let formsByType = Dictionary(source.survey.respondentTypes.map { ($0.id, $0.forms) }, uniquingKeysWith: { a, _ in a })
        let provinceNames = Dictionary(provinceList.members.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let pools = basic.mapValues { NationFigures.basicPool($0, seed: spec.seed, units: measures) }
        figures = NationFigures(scalings: scalings, basicForms: basic, basicPools: pools, codeLists: source.codeLists, provinceNames: provinceNames,
                                formsByType: formsByType, registry: units, children: Dictionary(grouping: units.filter { $0.parentIndex != nil },
                                                                                               by: { $0.parentIndex ?? -1 }).mapValues { $0.map(\.index) },
                                consolidatedForms: Dictionary(source.survey.respondentTypes.map { ($0.id, Set($0.consolidates ?? [])) },
                                                              uniquingKeysWith: { a, _ in a }),
                                units: measures, year: spec.year, seed: spec.seed)
    }

    /// The unit's submissions: Y−1 (已核定, when the unit existed) and Y, form by form — the
    /// basic-information form (公共1表 or 企业1表) first, with the same answers both years.
    public func submissions(forUnit index: Int) -> [NationSubmission] {
        guard units.indices.contains(index) else { return [] }
        return figures.submissions(for: units[index])
    }

    /// The compiled form of a generated submission.
    public func form(_ id: String) -> CompiledForm? { figures.scalings[id]?.form ?? figures.basicForms[id] }

    /// 数据生产总量 (本年实际, TB) of a submission; zero for forms without that row.
    public func productionTB(_ submission: NationSubmission) -> Double {
        guard let scaling = figures.scalings[submission.formID] else { return 0 }
        var total: Int128 = 0
        for slot in scaling.productionSlots where submission.values.present[slot] { total += submission.values.units[slot] }
        return Double(total) / 1_000_000
    }

    /// Whether national totals leave the submission out: a central-enterprise subsidiary's figures of a
    /// form its headquarters consolidates (the headquarters' submission already contains them).
    public func isConsolidatedAway(_ submission: NationSubmission) -> Bool {
        units.indices.contains(submission.unitIndex) && figures.consolidatedAway(units[submission.unitIndex], submission.formID)
    }

    /// Last year's figures of the same unit and form, for a submission of year Y (nil otherwise).
    public func lastYear(of submission: NationSubmission) -> CellValues? {
        guard submission.year == spec.year, units.indices.contains(submission.unitIndex),
              units[submission.unitIndex].existedLastYear, let scaling = figures.scalings[submission.formID] else { return nil }
        let unit = units[submission.unitIndex]
        let own = figures.pair(unit, scaling)
        return figures.consolidates(unit, submission.formID) ? figures.consolidated(unit, scaling, own: own).0 : own.0
    }
}
