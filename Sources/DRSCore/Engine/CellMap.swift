/// Figures as a flat map `"01:cum" → "1200.5"`, `"02:cur@110000" → "5"`, `"Q05.day:value" → "10"`:
/// how storage keeps a submission in one text column, and how changes are compared cell by cell.
extension CompiledForm {
    public func cellMap(_ values: CellValues) -> [String: String] {
        var map: [String: String] = [:]
        for (slot, cell) in layout.cells.enumerated() {
            if let v = values[slot] { map[cell.key.description] = v.description }
        }
        return map
    }

    /// Figures from a stored map; keys unknown to this layout are returned so nothing is silently lost.
    public func values(fromCellMap map: [String: String]) -> (values: CellValues, unknown: [String]) {
        var values = CellValues(count: layout.count)
        var unknown: [String] = []
        for (key, text) in map {
            guard let cellKey = CellKey(parsing: key), let slot = layout.slot(cellKey),
                  let value = try? NumberInput.parse(text) else { unknown.append(key); continue }
            values[slot] = value
        }
        return (values, unknown.sorted())
    }
}

extension CellKey {
    /// Reads `01:cum`, `02:cur@110000`.
    public init?(parsing text: String) {
        let memberSplit = text.split(separator: "@", maxSplits: 1)
        let parts = memberSplit[0].split(separator: ":")
        guard parts.count == 2 else { return nil }
        self.init(code: String(parts[0]), column: String(parts[1]), member: memberSplit.count > 1 ? String(memberSplit[1]) : nil)
    }
}
