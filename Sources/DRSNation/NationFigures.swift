import DRSCore

/// Two years of figures for one unit, each checked against every rule of its form before it is
/// returned: a scaled pair that breaks a rule falls back to the unscaled sample, which never does.
struct NationFigures: Sendable {
    let scalings: [String: FormScaling]
    let basicForms: [String: CompiledForm]
    let basicPools: [String: [CellValues]]
    let codeLists: [String: CodeList]
    let provinceNames: [String: String]
    let formsByType: [String: [String]]
    /// The registry and each headquarters' subsidiaries, for consolidated forms.
    let registry: [NationUnit]
    let children: [Int: [Int]]
    let consolidatedForms: [String: Set<String>]
    let units: [String: MeasureUnit]
    let year: Int
    let seed: UInt64

    /// The numeric forms a unit files: its types' forms from survey.json, each once, in order.
    func forms(of unit: NationUnit) -> [FormScaling] {
        var seen = Set<String>()
        var out: [FormScaling] = []
        for type in unit.types {
            for id in formsByType[type] ?? [] where seen.insert(id).inserted {
                if let scaling = scalings[id] { out.append(scaling) }
            }
        }
        return out
    }

    /// The basic-information forms a unit files (企业1表 once even for a unit of several types).
    func basicForms(of unit: NationUnit) -> [CompiledForm] {
        var seen = Set<String>()
        return unit.types.flatMap { formsByType[$0] ?? [] }.filter { seen.insert($0).inserted }.compactMap { basicForms[$0] }
    }

    func submissions(for unit: NationUnit) -> [NationSubmission] {
        var out: [NationSubmission] = []
        for form in basicForms(of: unit) {
            guard let (values, answers) = basic(unit, form) else { continue }
            let id = form.form.id
            if unit.existedLastYear {
                out.append(NationSubmission(unitIndex: unit.index, formID: id, year: year - 1, values: values, status: .verified, answers: answers))
            }
            out.append(NationSubmission(unitIndex: unit.index, formID: id, year: year, values: values, status: unit.status, answers: answers))
        }
        for scaling in forms(of: unit) {
            var (last, this) = pair(unit, scaling)
            if consolidates(unit, scaling.form.form.id) { (last, this) = consolidated(unit, scaling, own: (last, this)) }
            if unit.existedLastYear {
                out.append(NationSubmission(unitIndex: unit.index, formID: scaling.form.form.id, year: year - 1, values: last, status: .verified))
            }
            out.append(NationSubmission(unitIndex: unit.index, formID: scaling.form.form.id, year: year, values: this, status: unit.status))
        }
        return out
    }

    /// Last year's and this year's figures of one form, both passing every rule (errors and warnings).
    func pair(_ unit: NationUnit, _ scaling: FormScaling) -> (CellValues, CellValues) {
        let form = scaling.form
        var random = NationRandom(seed: seed, stream: stableKey(form.form.id), index: unit.index)
        let base = SampleSubmissions.clean(form, seed: random.next(), profile: unit.profile, units: units)
        let growth = 1 + random.below(3)
        let last = scaling.lastYear(base, size: unit.sizeFactor)
        if let this = scaling.thisYear(last, growth: growth), passes(form, last, this, unit) { return (last, this) }
        return (base, scaling.flat(base))
    }

    func passes(_ form: CompiledForm, _ last: CellValues, _ this: CellValues, _ unit: NationUnit) -> Bool {
        guard FormScaling.fits(this), form.check(last, profile: unit.profile).isClean else { return false }
        return form.check(this, lastYear: unit.existedLastYear ? last : nil, profile: unit.profile).isClean
    }

    /// Basic information passing every rule and format check: numbers from the form's pool of sample
    /// figures that pass its rules (shares summing to 100 rarely come out of the sampler right, so the
    /// pool is made once per nation) and answers around them.
    func basic(_ unit: NationUnit, _ form: CompiledForm) -> (CellValues, [String: JSONValue])? {
        let pool = basicPools[form.form.id] ?? []
        var random = NationRandom(seed: seed, stream: stableKey(form.form.id), index: unit.index)
        let start = random.below(pool.count)
        for offset in 0..<pool.count {
            let values = pool[(start + offset) % pool.count]
            guard form.check(values, profile: unit.profile).isClean else { continue }
            var maker = NationBasicAnswers(form: form, codeLists: codeLists, unit: unit, provinceName: provinceNames[unit.regionCode] ?? "",
                                           values: values, random: random)
            let answers = maker.answers()
            if BasicInfoChecker.check(answers, form: form, codeLists: codeLists, respondentType: unit.types.first).isEmpty { return (values, answers) }
        }
        return nil
    }

    /// Up to 32 sample figures of a basic-information form that pass its rules, for a plain profile.
    static func basicPool(_ form: CompiledForm, seed: UInt64, units: [String: MeasureUnit]) -> [CellValues] {
        var random = NationRandom(seed: seed, stream: stableKey(form.form.id + "/pool"), index: 0)
        var pool: [CellValues] = []
        for _ in 0..<2_000 where pool.count < 32 {
            let values = SampleSubmissions.clean(form, seed: random.next(), units: units)
            if form.check(values, profile: UnitProfile()).isClean { pool.append(values) }
        }
        return pool
    }
}
