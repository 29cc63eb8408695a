/// A worksheet part (`xl/worksheets/sheetN.xml`): its cells and merged ranges; everything else
/// (column widths, views, conditional formats, data validation…) is skipped.
struct WorksheetPart {
    struct Context {
        var sharedStrings: [String]
        var dateStyles: [Bool]
        var limits: XLSXReadLimits
        var sheetName: String
        var partName: String
    }

    enum CellType { case number, shared, string, inline, boolean, error, date }
    enum Target { case none, value, formula, text }

    struct SharedFormula {
        var text: String
        var row: Int
        var column: Int
    }

    var cells: [XLSXCellPosition: XLSXCellValue] = [:]
    var merges: [XLSXRange] = []

    /// `cellCount` counts cells with a value over all sheets, against `limits.maxCells`.
    /// `bytes` is emptied as soon as it is scanned, so the XML is freed before the cells'
    /// dictionary is built.
    static func parse(_ bytes: inout [UInt8], context: Context, cellCount: inout Int) throws(XLSXReadError) -> WorksheetPart {
        var utf8 = utf8Part(bytes)
        bytes = []
        var parser = Parser(context: context, cellCount: cellCount)
        do {
            try utf8.withUnsafeBufferPointer { (b) throws(ParseError) in
                var x = XMLScanner(b)
                try parser.run(&x)
            }
        } catch {
            switch error {
            case .xml(let e):
                throw .corrupt("工作表“\(context.sheetName)”的 XML 格式错误", part: context.partName, detail: "byte \(e.offset): \(e.reason)")
            case .read(let e): throw e
            }
        }
        utf8 = []
        cellCount = parser.cellCount
        // Cells come in order, so collecting them first and building the dictionary once, at its
        // final size, saves every intermediate resize (a cell written twice: the last one wins).
        var cells: [XLSXCellPosition: XLSXCellValue] = [:]
        cells.reserveCapacity(parser.cells.count)
        for (position, value) in parser.cells { cells[position] = value }
        return WorksheetPart(cells: cells, merges: parser.merges)
    }

    enum ParseError: Error {
        case xml(XMLError)
        case read(XLSXReadError)
    }

    struct Parser {
        let context: Context
        let limits: XLSXReadLimits
        var cellCount: Int
        /// In file order; counted against `limits.maxCells` as written.
        var cells: [(XLSXCellPosition, XLSXCellValue)] = []
        var merges: [XLSXRange] = []
        var sharedFormulas: [Int: SharedFormula] = [:]

        var inSheetData = false
        var inMergeCells = false
        var row = 0
        var column = 0
        // The open cell.
        var inCell = false
        var cellDepth = 0
        var cellRow = 0
        var cellColumn = 0
        var cellType = CellType.number
        var cellStyle = 0
        var hasValue = false
        var hasFormula = false
        var hasInline = false
        var formulaShared = false
        var formulaHasRef = false
        var formulaIndex = -1
        var valueBytes: [UInt8] = []
        var formulaBytes: [UInt8] = []
        var inlineBytes: [UInt8] = []
        var target = Target.none
        var targetDepth = 0
        var inInline = false
        var inlineDepth = 0
        var phoneticDepth = 0

        init(context: Context, cellCount: Int) {
            self.context = context
            self.limits = context.limits
            self.cellCount = cellCount
            valueBytes.reserveCapacity(64)
            formulaBytes.reserveCapacity(64)
            inlineBytes.reserveCapacity(64)
        }

        func failure(_ detail: String) -> ParseError {
            .read(.corrupt("工作表“\(context.sheetName)”\(detail)", part: context.partName))
        }

        func limit(_ l: XLSXReadLimits.Limit) -> ParseError {
            .read(.limit(l, limits, part: context.partName, sheet: context.sheetName))
        }

        func checkBounds(row: Int, column: Int) throws(ParseError) {
            if row > limits.maxRows { throw limit(.rows) }
            if column > limits.maxColumns { throw limit(.columns) }
        }

        mutating func run(_ x: inout XMLScanner) throws(ParseError) {
            do {
                try scan(&x)
            } catch let error as XMLError {
                throw .xml(error)
            } catch let error as ParseError {
                throw error
            } catch {
                fatalError("unexpected error \(error)")
            }
        }

        private mutating func scan(_ x: inout XMLScanner) throws {
            while true {
                switch try x.next() {
                case .eof:
                    return
                case .start:
                    try start(&x)
                case .text:
                    switch target {
                    case .none: break
                    case .value: try x.appendText(to: &valueBytes)
                    case .formula: try x.appendText(to: &formulaBytes)
                    case .text: try x.appendText(to: &inlineBytes)
                    }
                case .end:
                    try end(depth: x.depth)
                }
            }
        }

        /// An end tag at depth `d` (after it): closes the text target, the phonetic run, the inline
        /// string, the cell, or the worksheet's section.
        @inline(__always) private mutating func end(depth d: Int) throws(ParseError) {
            if target != .none && d == targetDepth - 1 { target = .none }
            if inCell {
                if phoneticDepth != 0 && d == phoneticDepth - 1 { phoneticDepth = 0 }
                if inInline && d == inlineDepth - 1 { inInline = false }
                if d == cellDepth - 1 { try endCell() }
            } else if d == 1 {
                inSheetData = false
                inMergeCells = false
            }
        }

        /// A start tag: inside a cell, in the sheet data, a section of the worksheet, or a merged range.
        @inline(__always) private mutating func start(_ x: inout XMLScanner) throws(ParseError) {
            let d = x.depth
            if inCell {
                if d == cellDepth + 1 {
                    cellChildStart(x, depth: d)
                } else if inInline && phoneticDepth == 0 {
                    if x.nameIs("rPh") {
                        phoneticDepth = d
                    } else if x.nameIs("t") {
                        target = .text
                        targetDepth = d
                    }
                }
            } else if inSheetData {
                if d == 3 && x.nameIs("row") {
                    try rowStart(x)
                } else if d == 4 && x.nameIs("c") {
                    try beginCell(&x)
                }
            } else if d == 2 {
                sectionStart(x)
            } else if inMergeCells && d == 3 && x.nameIs("mergeCell"), let ref = x.attribute("ref") {
                guard let range = CellReference.parseRange(x.p, ref.valueStart, ref.valueEnd) else {
                    throw failure("的合并单元格区域无效")
                }
                try checkBounds(row: range.last.row, column: range.last.column)
                merges.append(range)
            }
        }

        /// `<v>`, `<f>` or `<is>` directly in the open cell.
        @inline(__always) private mutating func cellChildStart(_ x: XMLScanner, depth d: Int) {
            if x.nameIs("v") {
                hasValue = true
                valueBytes.removeAll(keepingCapacity: true)
                target = .value
                targetDepth = d
            } else if x.nameIs("f") {
                hasFormula = true
                formulaBytes.removeAll(keepingCapacity: true)
                target = .formula
                targetDepth = d
                formulaShared = x.attribute("t").map { x.value($0, is: "shared") } ?? false
                formulaHasRef = x.attribute("ref") != nil
                formulaIndex = x.attribute("si").flatMap { CellReference.integer(x.p, $0.valueStart, $0.valueEnd) } ?? -1
            } else if x.nameIs("is") {
                hasInline = true
                inInline = true
                inlineDepth = d
                inlineBytes.removeAll(keepingCapacity: true)
            }
        }

        /// `<row>`: its number as given, else the one after the last.
        @inline(__always) private mutating func rowStart(_ x: XMLScanner) throws(ParseError) {
            if let r = x.attribute("r") {
                guard let n = CellReference.integer(x.p, r.valueStart, r.valueEnd), n >= 1 else {
                    throw failure("的行号无效")
                }
                row = n
            } else {
                row += 1
            }
            if row > limits.maxRows { throw limit(.rows) }
            column = 0
        }

        /// A child of `<worksheet>`: the sheet data, the merged ranges, or the dimension (a size hint).
        private mutating func sectionStart(_ x: XMLScanner) {
            if x.nameIs("sheetData") {
                inSheetData = true
            } else if x.nameIs("mergeCells") {
                inMergeCells = true
            } else if x.nameIs("dimension"), let ref = x.attribute("ref"),
                      let range = CellReference.parseRange(x.p, ref.valueStart, ref.valueEnd) {
                // A hint for the dictionary's size, bounded by what the part could hold
                // (a cell with a value takes at least ~14 bytes of XML; a realistic one 20) and the limit.
                let rows = range.last.row - range.first.row + 1
                let columns = range.last.column - range.first.column + 1
                let estimate = rows > (1 << 24) || columns > (1 << 24) ? Int.max : rows * columns
                cells.reserveCapacity(min(estimate, x.n / 20, max(0, limits.maxCells - cellCount)))
            }
        }

        private mutating func beginCell(_ x: inout XMLScanner) throws(ParseError) {
            if let r = x.attribute("r") {
                guard let ref = CellReference.parse(x.p, r.valueStart, r.valueEnd) else { throw failure("的单元格位置无效") }
                cellRow = ref.row
                cellColumn = ref.column
            } else {
                cellRow = max(row, 1)
                cellColumn = column + 1
            }
            try checkBounds(row: cellRow, column: cellColumn)
            column = cellColumn
            cellType = .number
            if let t = x.attribute("t") {
                if x.value(t, is: "s") { cellType = .shared }
                else if x.value(t, is: "n") { cellType = .number }
                else if x.value(t, is: "str") { cellType = .string }
                else if x.value(t, is: "inlineStr") { cellType = .inline }
                else if x.value(t, is: "b") { cellType = .boolean }
                else if x.value(t, is: "e") { cellType = .error }
                else if x.value(t, is: "d") { cellType = .date }
                else { throw failure("有未知的单元格类型") }
            }
            cellStyle = x.attribute("s").flatMap { CellReference.integer(x.p, $0.valueStart, $0.valueEnd) } ?? 0
            inCell = true
            cellDepth = x.depth
            hasValue = false
            hasFormula = false
            hasInline = false
            inInline = false
            phoneticDepth = 0
            target = .none
        }

        private func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

        private func unescaped(_ bytes: [UInt8]) -> String {
            var b = bytes
            unescapeOOXML(&b)
            return String(decoding: b, as: UTF8.self)
        }

        private func sharedString(_ bytes: [UInt8]) throws(ParseError) -> String {
            guard let index = CellReference.integer(bytes), index < context.sharedStrings.count else {
                throw failure("引用了不存在的共享字符串（\(string(bytes))）")
            }
            return context.sharedStrings[index]
        }

        private mutating func endCell() throws(ParseError) {
            inCell = false
            let value: XLSXCellValue
            if hasFormula {
                value = try formulaValue()
            } else {
                guard let plain = try plainValue() else { return }
                value = plain
            }
            cells.append((XLSXCellPosition(row: cellRow, column: cellColumn), value))
            cellCount += 1
            if cellCount > limits.maxCells { throw limit(.cells) }
        }

        /// A formula cell: its formula (a shared one moved from its first cell) and the cached value.
        private mutating func formulaValue() throws(ParseError) -> XLSXCellValue {
            var text = string(formulaBytes)
            if formulaShared && formulaIndex >= 0 {
                if formulaBytes.isEmpty, let master = sharedFormulas[formulaIndex] {
                    text = FormulaShifter.shift(master.text, rows: cellRow - master.row, columns: cellColumn - master.column)
                } else if formulaHasRef && !formulaBytes.isEmpty {
                    sharedFormulas[formulaIndex] = SharedFormula(text: text, row: cellRow, column: cellColumn)
                }
            }
            var cached: String?
            if hasValue && (!valueBytes.isEmpty || cellType == .string) {
                switch cellType {
                case .shared: cached = try sharedString(valueBytes)
                case .string: cached = unescaped(valueBytes)
                default: cached = string(valueBytes)
                }
            } else if hasInline {
                cached = unescaped(inlineBytes)
            }
            return .formula(text, cached: cached)
        }

        /// A cell without a formula, by its type; nil when it holds no value.
        private func plainValue() throws(ParseError) -> XLSXCellValue? {
            switch cellType {
            case .inline:
                if hasInline { return .text(unescaped(inlineBytes)) }
                if hasValue { return .text(unescaped(valueBytes)) }
                return nil
            case .shared:
                guard hasValue else { return nil }
                return .text(try sharedString(valueBytes))
            case .string:
                guard hasValue else { return nil }
                return .text(unescaped(valueBytes))
            case .boolean:
                guard hasValue else { return nil }
                switch string(valueBytes) {
                case "1", "true", "TRUE": return .boolean(true)
                case "0", "false", "FALSE": return .boolean(false)
                default: throw failure("的逻辑值无效（\(string(valueBytes))）")
                }
            case .error:
                guard hasValue else { return nil }
                return .error(string(valueBytes))
            case .date:
                guard hasValue, !valueBytes.isEmpty else { return nil }
                return .date(string(valueBytes))
            case .number:
                guard hasValue, !valueBytes.isEmpty else { return nil }
                if cellStyle < context.dateStyles.count && context.dateStyles[cellStyle] {
                    return .date(string(valueBytes))
                }
                return .number(string(valueBytes))
            }
        }
    }
}
