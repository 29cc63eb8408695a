/// The address of one numeric cell of a form: row (or basic-information field), column, member.
public struct CellKey: Hashable, Sendable, CustomStringConvertible {
    public var code: String
    public var column: ColumnID
    public var member: String?

    public init(code: String, column: ColumnID, member: String? = nil) {
        self.code = code
        self.column = column
        self.member = member
    }

    public var description: String { member.map { "\(code):\(column)@\($0)" } ?? "\(code):\(column)" }
}

/// Every numeric cell of a form, numbered: values travel as flat arrays indexed by these slots, so a
/// check touches no dictionary on the hot path.
public struct CellLayout: Sendable {
    public struct Cell: Sendable {
        public var key: CellKey
        /// The row's (or field's) name, for messages: 数据生产总量.
        public var name: String
        public var unit: String
        public var memberName: String?
        public var appliesTo: Applicability?
        public var allowNegative: Bool
    }

    public let cells: [Cell]
    private let slots: [CellKey: Int]
    /// Each slot's key as stored (`01:cum`, `02:cur@110000`), and the slot of each such text: every save
    /// reads and writes its figures by these texts, so they are made once, not per cell per save.
    public let keyTexts: [String]
    private let slotsByText: [String: Int]
    /// Members of each row that has a breakdown, in code-list order.
    public let membersByRow: [String: [String]]
    /// The total member of a row's breakdown (公共5表 全国), if any.
    public let totalMemberByRow: [String: String]

    public var count: Int { cells.count }

    public func slot(_ key: CellKey) -> Int? { slots[key] }
    public func slot(code: String, column: ColumnID, member: String? = nil) -> Int? {
        slots[CellKey(code: code, column: column, member: member)]
    }
    /// The slot of a key's stored text (`CellKey.description`).
    public func slot(text: String) -> Int? { slotsByText[text] }

    /// Builds the layout of a form. Fails when a breakdown names an unknown code list.
    public init(form: Form, codeLists: [String: CodeList]) throws(CatalogError) {
        var cells: [Cell] = []
        var membersByRow: [String: [String]] = [:]
        var totals: [String: String] = [:]

        switch form.kind {
        case .basicInfo:
            func visit(_ item: Item, prefix: String, parentName: String?) {
                let code = prefix.isEmpty ? item.code : prefix + "." + (item.key ?? item.code)
                let name = parentName.map { "\($0)·\(item.name)" } ?? item.name
                if item.isNumeric {
                    cells.append(Cell(key: CellKey(code: code, column: "value"), name: name,
                                      unit: item.unit ?? (item.type == .percentage ? "%" : ""),
                                      memberName: nil, appliesTo: nil, allowNegative: item.allowNegative ?? false))
                }
                for field in item.fields ?? [] { visit(field, prefix: code, parentName: name) }
            }
            for item in form.allItems { visit(item, prefix: "", parentName: nil) }
        case .indicators, .grid:
            for indicator in form.allIndicators {
                let breakdown = indicator.breakdown ?? (form.kind == .grid ? form.breakdown : nil)
                var members: [CodeList.Member?] = [nil]
                if let breakdown {
                    guard let list = codeLists[breakdown.codelist] else {
                        throw CatalogError(form: form.id, reason: "指标\(indicator.code)的分组代码表「\(breakdown.codelist)」不存在")
                    }
                    members = list.members
                    membersByRow[indicator.code] = list.members.map(\.code)
                    if let total = breakdown.total { totals[indicator.code] = total }
                }
                for column in indicator.columns {
                    for member in members {
                        cells.append(Cell(key: CellKey(code: indicator.code, column: column, member: member?.code),
                                          name: indicator.name, unit: indicator.unit, memberName: member?.name,
                                          appliesTo: indicator.appliesTo, allowNegative: indicator.allowNegative ?? false))
                    }
                }
            }
        }
        var slots: [CellKey: Int] = [:], slotsByText: [String: Int] = [:]
        for (index, cell) in cells.enumerated() {
            if slots[cell.key] != nil { throw CatalogError(form: form.id, reason: "单元格 \(cell.key) 重复") }
            slots[cell.key] = index
            // Two cells stored under one text would overwrite each other's figures (`01:cur@x` is both
            // row 01's member x and a column named `cur@x`).
            let text = cell.key.description
            if slotsByText[text] != nil { throw CatalogError(form: form.id, reason: "单元格 \(text) 的存储键与另一单元格相同（代码中不能含 : 或 @）") }
            slotsByText[text] = index
        }
        self.cells = cells
        self.slots = slots
        self.keyTexts = cells.map(\.key.description)
        self.slotsByText = slotsByText
        self.membersByRow = membersByRow
        self.totalMemberByRow = totals
    }
}

/// A defect of the catalog itself (a rule naming a missing row, an unknown unit…), found on load.
public struct CatalogError: Error, Sendable, CustomStringConvertible {
    public var form: String?
    public var reason: String

    public init(form: String?, reason: String) {
        self.form = form
        self.reason = reason
    }

    public var description: String { form.map { "目录错误（\($0)）：\(reason)" } ?? "目录错误：\(reason)" }
}
