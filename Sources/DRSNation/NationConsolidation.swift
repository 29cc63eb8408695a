import DRSCore

/// A central enterprise's headquarters files the group's figures for the forms its type consolidates
/// (survey.json `consolidates`: 企业2表): its own plus every subsidiary's, which is what national
/// aggregation expects (it leaves the subsidiaries' own submissions of those forms out). Shares and
/// durations stay the headquarters' own; sums of figures that pass a linear rule pass it too, and
/// the result is checked like every other submission (own figures only if it would not pass).
extension NationFigures {
    func consolidates(_ unit: NationUnit, _ formID: String) -> Bool {
        unit.parentIndex == nil && !(children[unit.index] ?? []).isEmpty
            && unit.types.contains { consolidatedForms[$0]?.contains(formID) == true }
    }

    /// Whether the submission is left out of national totals (a subsidiary's consolidated form).
    func consolidatedAway(_ unit: NationUnit, _ formID: String) -> Bool {
        guard let parent = unit.parentIndex, registry.indices.contains(parent) else { return false }
        return registry[parent].types.contains { consolidatedForms[$0]?.contains(formID) == true }
    }

    func consolidated(_ unit: NationUnit, _ scaling: FormScaling, own: (CellValues, CellValues)) -> (CellValues, CellValues) {
        var (last, this) = own
        for child in children[unit.index] ?? [] where registry.indices.contains(child) {
            let (childLast, childThis) = pair(registry[child], scaling)
            scaling.add(childLast, to: &last)
            scaling.add(childThis, to: &this)
        }
        return passes(scaling.form, last, this, unit) ? (last, this) : own
    }
}

extension FormScaling {
    /// Adds the extensive cells of `other` into `total` (an empty cell counts as zero).
    func add(_ other: CellValues, to total: inout CellValues) {
        for (slot, cell) in cells.enumerated() where cell.extensive && other.present[slot] {
            let sum = (total.present[slot] ? total.units[slot] : 0) + other.units[slot]
            total[slot] = ExactDecimal(units: sum, scale: CellValues.scale)
        }
    }
}
