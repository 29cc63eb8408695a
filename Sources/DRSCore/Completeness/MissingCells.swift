/// A required cell left blank: blank is not zero, so the filer must type a figure (0 when nothing
/// happened) before the form can be submitted, approved or verified.
public struct MissingCell: Sendable, Equatable {
    /// `01:cum`, `02:cur@110000`
    public var key: String
    public var code: String
    public var column: ColumnID
    public var member: String?
    /// The row's name: 数据生产总量.
    public var name: String
    public var columnName: String
    public var memberName: String?

    public init(key: String, code: String, column: ColumnID, member: String?, name: String, columnName: String, memberName: String?) {
        self.key = key
        self.code = code
        self.column = column
        self.member = member
        self.name = name
        self.columnName = columnName
        self.memberName = memberName
    }

    /// 「数据生产总量[01]（截至本年）尚未填写」
    public var message: String {
        var place = [columnName]
        if let memberName { place.append(memberName) }
        return "\(name)[\(code)]（\(place.joined(separator: "，"))）尚未填写"
    }
}

extension CompiledForm {
    /// The slots the unit must fill, by the form's completeness policy: every open cell of every row
    /// asked of it (its flags, its answers), every member of a breakdown.
    public func requiredSlots(profile: UnitProfile?) -> [Int] {
        guard form.completenessPolicy.cells == .allApplicable else { return [] }
        let skipped = skippedRows(profile: profile)
        return layout.cells.indices.filter { isAsked(slot: $0, profile: profile, skipped: skipped) }
    }

    /// The required cells that are blank, in layout order (row by row, as the form prints them).
    public func missingCells(_ values: CellValues, profile: UnitProfile?) -> [MissingCell] {
        requiredSlots(profile: profile).compactMap { slot in
            guard !values.present[slot] else { return nil }
            let cell = layout.cells[slot]
            return MissingCell(key: cell.key.description, code: cell.key.code, column: cell.key.column,
                               member: cell.key.member, name: cell.name, columnName: columnName(cell.key.column),
                               memberName: cell.memberName)
        }
    }
}
