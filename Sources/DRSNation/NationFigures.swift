import DRSCore

/// Two years of figures for one unit, each checked against every rule of its form before it is
/// returned: a scaled pair that breaks a rule falls back to the unscaled sample, which never does.
struct NationFigures: Sendable {
    let scalings: [String: FormScaling]
    let formsByType: [String: [String]]
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

    func submissions(for unit: NationUnit) -> [NationSubmission] {
        var out: [NationSubmission] = []
        for scaling in forms(of: unit) {
            let (last, this) = pair(unit, scaling)
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

    private func passes(_ form: CompiledForm, _ last: CellValues, _ this: CellValues, _ unit: NationUnit) -> Bool {
        guard form.check(last, profile: unit.profile).isClean else { return false }
        return form.check(this, lastYear: unit.existedLastYear ? last : nil, profile: unit.profile).isClean
    }
}
