import DRSCore

/// Where a row's figure sits in a form: one cell, or for a row broken down by a code list (企业4表
/// by industry) its total member, or else the sum of its members.
struct RowValue: Sendable {
    let slots: [Int]

    init?(form: CompiledForm, code: String, column: String) {
        if let slot = form.layout.slot(code: code, column: column) {
            slots = [slot]
        } else if let total = form.layout.totalMemberByRow[code], let slot = form.layout.slot(code: code, column: column, member: total) {
            slots = [slot]
        } else if let members = form.layout.membersByRow[code] {
            let found = members.compactMap { form.layout.slot(code: code, column: column, member: $0) }
            guard !found.isEmpty else { return nil }
            slots = found
        } else {
            return nil
        }
    }

    /// The figure, nil when no cell of it was filled.
    func value(in values: CellValues) -> ExactDecimal? {
        if slots.count == 1, let slot = slots.first { return values[slot] }
        var sum: Int128 = 0, any = false
        for slot in slots {
            guard let v = values[slot], let units = v.rescaled(to: CellValues.scale)?.units else { continue }
            sum &+= units
            any = true
        }
        return any ? ExactDecimal(units: sum, scale: CellValues.scale) : nil
    }
}
