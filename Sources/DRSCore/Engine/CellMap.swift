/// Figures as a flat map `"01:cum" → "1200.5"`, `"02:cur@110000" → "5"`, `"Q05.day:value" → "10"`:
/// how storage keeps a submission in one text column, and how changes are compared cell by cell.
///
/// A map is read in one of two ways, and neither lets a cell vanish without a word:
/// - `values(fromInput:)` for figures a filer sent: a cell the form does not define refuses the map.
/// - `values(fromStored:unknown:)` for figures read back from storage (kept under an older catalog,
///   or written by an import): the figures the form defines are read, and the rest are handed to
///   the caller, who must say what becomes of them (log them, show them).
extension CompiledForm {
    /// The stored form of `values`: one entry per present cell.
    public func cellMap(_ values: CellValues) -> [String: String] {
        var map: [String: String] = [:]
        map.reserveCapacity(values.filledCount)
        for (slot, key) in layout.keyTexts.enumerated() {
            if let v = values[slot] { map[key] = v.description }
        }
        return map
    }

    /// Figures a filer sent as a cell map. Any cell this form does not define, or whose text is no
    /// number, refuses the whole map: a mistyped cell code must reach the filer, not disappear.
    public func values(fromInput map: [String: String]) throws(UnknownCells) -> CellValues {
        let (values, unknown) = read(map)
        if !unknown.isEmpty { throw unknown }
        return values
    }

    /// Figures read back from storage. The cells this form cannot read are passed to `unknown`
    /// (called once, only when there are some) so that the caller reports them; the figures it can
    /// read are returned either way.
    public func values(fromStored map: [String: String], unknown: (UnknownCells) -> Void) -> CellValues {
        let (values, cells) = read(map)
        if !cells.isEmpty { unknown(cells) }
        return values
    }

    private func read(_ map: [String: String]) -> (CellValues, UnknownCells) {
        var values = CellValues(count: layout.count)
        var unknown = UnknownCells(formID: form.id)
        for (key, text) in map {
            // A key as written by `cellMap`, else any text that parses to one of the form's keys.
            guard let slot = layout.slot(text: key) ?? CellKey(parsing: key).flatMap({ layout.slot($0) }) else { unknown.undefined.append(key); continue }
            guard let value = try? NumberInput.parse(text) else { unknown.notNumbers.append(key); continue }
            values[slot] = value
        }
        unknown.undefined.sort()
        unknown.notNumbers.sort()
        return (values, unknown)
    }
}

/// The cells of a map that a form cannot read: keys its layout does not define, and defined keys
/// whose text is no number. Thrown for a filer's input; handed to the caller for stored figures.
public struct UnknownCells: Error, Sendable, Equatable, CustomStringConvertible {
    /// The form whose layout the map was read against.
    public var formID: String
    /// Keys the form's layout does not define, sorted.
    public var undefined: [String] = []
    /// Keys it defines whose text is not a number, sorted.
    public var notNumbers: [String] = []

    public init(formID: String, undefined: [String] = [], notNumbers: [String] = []) {
        self.formID = formID
        self.undefined = undefined
        self.notNumbers = notNumbers
    }

    public var isEmpty: Bool { undefined.isEmpty && notNumbers.isEmpty }

    /// Every key, sorted.
    public var keys: [String] { (undefined + notNumbers).sorted() }

    /// For a filer: which cells were refused and why.
    public var description: String {
        var parts: [String] = []
        if !undefined.isEmpty { parts.append("表\(formID)没有这些单元格：\(undefined.joined(separator: "、"))") }
        if !notNumbers.isEmpty { parts.append("这些单元格的值不是数字：\(notNumbers.joined(separator: "、"))") }
        return parts.joined(separator: "；")
    }

    /// For a reader of stored figures: the cells kept in storage that this catalog cannot show.
    public var storedNote: String {
        var parts: [String] = []
        if !undefined.isEmpty { parts.append("存储的数据中有本版目录未定义的单元格：\(undefined.joined(separator: "、"))") }
        if !notNumbers.isEmpty { parts.append("存储的数据中有无法读作数字的单元格：\(notNumbers.joined(separator: "、"))") }
        return parts.joined(separator: "；")
    }
}

extension CellKey {
    /// Reads `01:cum`, `02:cur@110000`.
    public init?(parsing text: String) {
        let memberSplit = text.split(separator: "@", maxSplits: 1)
        guard let head = memberSplit.first else { return nil }
        let parts = head.split(separator: ":")
        guard parts.count == 2 else { return nil }
        self.init(code: String(parts[0]), column: String(parts[1]), member: memberSplit.count > 1 ? String(memberSplit[1]) : nil)
    }
}
