/// Options of the writer.
public struct WriterOptions: Sendable, Hashable {
    public var compression: ZipCompression
    /// Sheet XML is handed to the ZIP layer (and on to the sink) whenever this many bytes have
    /// accumulated, at the end of a row: the writer holds at most this plus one row.
    public var flushThreshold: Int
    /// ZIP64 thresholds, lowered by tests to exercise the ZIP64 records on small files.
    var zip64Limit: UInt64 = 0xFFFF_FFFF
    var entryCountLimit: Int = 0xFFFF

    public init(compression: ZipCompression = .deflate, flushThreshold: Int = 64 * 1024) {
        self.compression = compression
        self.flushThreshold = max(1, flushThreshold)
    }
}

/// Writes an XLSX workbook to a `ByteSink` while rows are appended, in bounded memory.
///
/// ```swift
/// let writer = try XLSXStreamWriter(sink: ByteArraySink(),
///                                   properties: DocumentProperties(title: "汇总表", created: "2026-03-31T08:00:00Z"))
/// try writer.beginSheet("汇总表", setup: SheetSetup(columns: [ColumnFormat(1, width: 30)], frozen: FrozenPanes(rows: 2)))
/// try writer.appendRow([.text("全国数据资源调查汇总表", style: .title)], height: 28)
/// try writer.merge(CellRange("A1:C1")!)
/// try writer.appendRow([.text("指标", style: .header), .text("数值", style: .header)])
/// try writer.appendRow([.text("数据量（PB）", style: .text), .number("1234.567890", style: .number(decimals: 2))])
/// try writer.finish()
/// let bytes = writer.sink.bytes
/// ```
///
/// Sheets are written one after the other: `beginSheet` closes the previous one, and a sheet's rows
/// go out as they are appended (`xl/worksheets/sheetN.xml`, text as inline strings). The parts that
/// describe the whole workbook (`workbook.xml`, styles, relationships, content types, document
/// properties) are written by `finish`, followed by the ZIP central directory. Same input, same bytes.
public final class XLSXStreamWriter<Sink: ByteSink> {
    enum State { case ready, inSheet, finished, failed }

    struct SheetRecord {
        var name: String
        var visibility: SheetVisibility
        var page: PageSetup?
    }

    struct OpenSheet {
        var index: Int
        var nextRow = 1
        var merges: [CellRange] = []
        /// Merges by `firstRow / 64`, to find overlaps without comparing with every merge.
        var mergeBuckets: [Int: [Int]] = [:]
        var tallestMerge = 1
        var setup: SheetSetup
    }

    public let properties: DocumentProperties
    public let options: WriterOptions
    private let timestamp: ISO8601Timestamp
    private var zip: ZipWriter<Sink>
    private var buffer: XMLBuffer
    private var state = State.ready
    private var sheets: [SheetRecord] = []
    private var current: OpenSheet?
    private var definedNames: [DefinedName] = []

    /// The most sheet XML the writer held at once before handing it on (bounded by
    /// `options.flushThreshold` plus one row). Besides it the writer keeps a constant amount (DEFLATE's
    /// window, hash table and output: about half a MiB), ~100 bytes per ZIP entry, and the open sheet's
    /// merged ranges; nothing per row.
    public private(set) var peakBufferedBytes = 0
    /// Rows appended to all sheets, including empty ones.
    public private(set) var rowsWritten = 0
    /// Bytes handed to the sink so far.
    public var bytesWritten: UInt64 { zip.offset }
    /// The sink (for `ByteArraySink`, `sink.bytes` after `finish`).
    public var sink: Sink { zip.sink }
    /// The names of the sheets begun so far, as written (sanitised and unique).
    public var sheetNames: [String] { sheets.map(\.name) }
    /// The number of the row the next `appendRow` writes (1-based), or nil without an open sheet.
    public var nextRow: Int? { current?.nextRow }

    public init(sink: Sink, properties: DocumentProperties, options: WriterOptions = WriterOptions()) throws {
        guard let timestamp = ISO8601Timestamp(properties.created) else { throw XLSXError.invalidTimestamp(properties.created) }
        self.properties = properties
        self.options = options
        self.timestamp = timestamp
        let dos = dosDateTime(timestamp)
        zip = ZipWriter(sink: sink, compression: options.compression, dosTime: dos.time, dosDate: dos.date,
                        zip64Limit: options.zip64Limit, entryCountLimit: options.entryCountLimit)
        buffer = XMLBuffer(capacity: options.flushThreshold + 4096)
    }

    // MARK: Sheets

    /// Starts a sheet (ending the open one). The name is sanitised (`SheetName.sanitize`) and made
    /// unique; the name actually used is returned (for formulas and defined names).
    @discardableResult
    public func beginSheet(_ name: String, setup: SheetSetup = SheetSetup()) throws -> String {
        try checkUsable()
        try validate(setup)
        if state == .inSheet { try endSheet() }
        let index = sheets.count
        let finalName = SheetName.unique(SheetName.sanitize(name, fallback: "Sheet\(index + 1)"), among: Set(sheets.map(\.name)))
        let selected = setup.visibility == .visible && !sheets.contains { $0.visibility == .visible }
        sheets.append(SheetRecord(name: finalName, visibility: setup.visibility, page: setup.page))
        current = OpenSheet(index: index, setup: setup)
        state = .inSheet
        try guarded { try zip.beginEntry("xl/worksheets/sheet\(index + 1).xml") }
        writeSheetStart(setup, selected: selected)
        return finalName
    }

    /// Appends the next row (row `nextRow`): cell `i` of `cells` goes to column `i + 1`; empty cells
    /// with the plain style are left out, so `[]` is an empty row. `height` in points (0…409).
    public func appendRow(_ cells: [Cell], height: Double? = nil) throws {
        try checkUsable()
        guard state == .inSheet, current != nil else { throw XLSXError.noOpenSheet }
        let row = current!.nextRow
        guard row <= SheetLimits.maxRows else { throw XLSXError.tooManyRows(row: row) }
        guard cells.count <= SheetLimits.maxColumns else { throw XLSXError.tooManyColumns(count: cells.count) }
        if let height, !(height.isFinite && height >= 0 && height <= 409) { throw XLSXError.invalidLayout("行高 \(height)") }
        current!.nextRow += 1
        rowsWritten += 1
        writeRow(row, cells, height: height)
        if buffer.count >= options.flushThreshold { try flush() }
    }

    /// Merges a range of the open sheet (not overlapping another merge; a single cell is no merge and
    /// is ignored). The value and style shown are those of its top-left cell; give the other cells the
    /// same style for the border to go round the whole range. Merges may be added before or after
    /// their rows.
    public func merge(_ range: CellRange) throws {
        try checkUsable()
        guard state == .inSheet, current != nil else { throw XLSXError.noOpenSheet }
        guard range.isValid else { throw XLSXError.invalidRange(range.description) }
        if range.isSingleCell { return }
        // Merges that may overlap start at most `tallestMerge - 1` rows above this one.
        let low = max(1, range.first.row - current!.tallestMerge + 1) / 64
        let high = range.last.row / 64
        func check(_ index: Int) throws {
            let other = current!.merges[index]
            if other.overlaps(range) { throw XLSXError.overlappingMerges(other, range) }
        }
        if high - low + 1 <= current!.mergeBuckets.count {
            for bucket in low...high {
                for index in current!.mergeBuckets[bucket] ?? [] { try check(index) }
            }
        } else {
            for indices in current!.mergeBuckets.values {
                for index in indices { try check(index) }
            }
        }
        current!.mergeBuckets[range.first.row / 64, default: []].append(current!.merges.count)
        current!.merges.append(range)
        current!.tallestMerge = max(current!.tallestMerge, range.rows.count)
    }

    /// Ends the open sheet: merges and print setup, then the sheet's ZIP entry is closed.
    public func endSheet() throws {
        try checkUsable()
        guard state == .inSheet, let sheet = current else { throw XLSXError.noOpenSheet }
        buffer.raw("</sheetData>")
        if !sheet.merges.isEmpty {
            buffer.raw("<mergeCells count=\"")
            buffer.int(sheet.merges.count)
            buffer.raw("\">")
            for range in sheet.merges {
                buffer.raw("<mergeCell ref=\"")
                buffer.raw(range.description)
                buffer.raw("\"/>")
                if buffer.count >= options.flushThreshold { try flush() }
            }
            buffer.raw("</mergeCells>")
        }
        if let page = sheet.setup.page {
            if page.centerHorizontally { buffer.raw("<printOptions horizontalCentered=\"1\"/>") }
            let m = page.margins
            buffer.raw("<pageMargins left=\"")
            buffer.double(m.left)
            buffer.raw("\" right=\"")
            buffer.double(m.right)
            buffer.raw("\" top=\"")
            buffer.double(m.top)
            buffer.raw("\" bottom=\"")
            buffer.double(m.bottom)
            buffer.raw("\" header=\"")
            buffer.double(m.header)
            buffer.raw("\" footer=\"")
            buffer.double(m.footer)
            buffer.raw("\"/><pageSetup paperSize=\"")
            buffer.int(page.paperSize)
            buffer.raw("\" orientation=\"")
            buffer.raw(page.orientation.rawValue)
            buffer.raw(page.fitToWidth ? "\" fitToWidth=\"1\" fitToHeight=\"0\"/>" : "\"/>")
            if page.pageNumbers {
                buffer.raw("<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>")
            }
        }
        buffer.raw("</worksheet>")
        try flush()
        try guarded { try zip.endEntry() }
        current = nil
        state = .ready
    }

    // MARK: Workbook

    /// Adds a defined name (written by `finish`). Print titles (`PageSetup.repeatRows`) need none.
    public func defineName(_ name: DefinedName) throws {
        try checkUsable()
        guard DefinedName.isValidName(name.name) || name.name.hasPrefix("_xlnm.") else { throw XLSXError.invalidDefinedName(name.name) }
        guard !name.refersTo.isEmpty else { throw XLSXError.invalidDefinedName(name.name) }
        if let index = name.sheetIndex, index < 0 { throw XLSXError.invalidSheetIndex(index) }
        if definedNames.contains(where: { $0.sheetIndex == name.sheetIndex && $0.name.lowercased() == name.name.lowercased() }) {
            throw XLSXError.duplicateDefinedName(name.name)
        }
        definedNames.append(name)
    }

    /// Ends the open sheet and writes the workbook parts and the ZIP directory. The sink then holds
    /// a complete `.xlsx`.
    public func finish() throws {
        try checkUsable()
        if state == .inSheet { try endSheet() }
        guard !sheets.isEmpty else { throw XLSXError.noSheets }
        guard let active = sheets.firstIndex(where: { $0.visibility == .visible }) else { throw XLSXError.noVisibleSheet }
        var names: [DefinedName] = []
        for (index, sheet) in sheets.enumerated() {
            guard let page = sheet.page, page.repeatRows != nil || page.repeatColumns != nil else { continue }
            var parts: [String] = []
            let quoted = SheetName.quoted(sheet.name)
            if let c = page.repeatColumns {
                parts.append("\(quoted)!$\(CellAddress.columnName(c.lowerBound)):$\(CellAddress.columnName(c.upperBound))")
            }
            if let r = page.repeatRows { parts.append("\(quoted)!$\(r.lowerBound):$\(r.upperBound)") }
            names.append(DefinedName("_xlnm.Print_Titles", refersTo: parts.joined(separator: ","), sheetIndex: index))
        }
        for name in definedNames {
            if let index = name.sheetIndex, index >= sheets.count { throw XLSXError.invalidSheetIndex(index) }
            if names.contains(where: { $0.sheetIndex == name.sheetIndex && $0.name.lowercased() == name.name.lowercased() }) {
                throw XLSXError.duplicateDefinedName(name.name)
            }
            names.append(name)
        }
        try guarded {
            try zip.addEntry("[Content_Types].xml", WorkbookParts.contentTypes(sheetCount: sheets.count))
            try zip.addEntry("_rels/.rels", WorkbookParts.rootRelationships)
            try zip.addEntry("docProps/core.xml", WorkbookParts.core(properties, created: timestamp))
            try zip.addEntry("docProps/app.xml", WorkbookParts.app(properties))
            try zip.addEntry("xl/workbook.xml", WorkbookParts.workbook(sheets: sheets.map { ($0.name, $0.visibility) }, activeTab: active, definedNames: names))
            try zip.addEntry("xl/_rels/workbook.xml.rels", WorkbookParts.workbookRelationships(sheetCount: sheets.count))
            try zip.addEntry("xl/styles.xml", Stylesheet.xml)
            try zip.finish()
        }
        state = .finished
    }

    // MARK: Writing

    private func checkUsable() throws {
        switch state {
        case .finished: throw XLSXError.finished
        case .failed: throw XLSXError.failed
        case .ready, .inSheet: return
        }
    }

    private func guarded(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            state = .failed
            throw error
        }
    }

    private func flush() throws {
        peakBufferedBytes = max(peakBufferedBytes, buffer.count)
        guard buffer.count > 0 else { return }
        try guarded { try zip.write(buffer.bytes) }
        if buffer.bytes.capacity > 4 * (options.flushThreshold + 4096) {
            buffer = XMLBuffer(capacity: options.flushThreshold + 4096)  // give back what a huge row took
        } else {
            buffer.bytes.removeAll(keepingCapacity: true)
        }
    }

    private func validate(_ setup: SheetSetup) throws {
        var previous = 0
        for column in setup.columns.sorted(by: { $0.columns.lowerBound < $1.columns.lowerBound }) {
            guard column.columns.lowerBound > previous, column.columns.upperBound <= SheetLimits.maxColumns else {
                throw XLSXError.invalidLayout("列 \(column.columns) 重叠或超出范围")
            }
            if let width = column.width, !(width.isFinite && width >= 0 && width <= 255) {
                throw XLSXError.invalidLayout("列宽 \(width)")
            }
            previous = column.columns.upperBound
        }
        if let frozen = setup.frozen {
            guard (0..<SheetLimits.maxRows).contains(frozen.rows), (0..<SheetLimits.maxColumns).contains(frozen.columns) else {
                throw XLSXError.invalidLayout("冻结 \(frozen.rows) 行 \(frozen.columns) 列")
            }
        }
        if let height = setup.defaultRowHeight, !(height.isFinite && height > 0 && height <= 409) {
            throw XLSXError.invalidLayout("默认行高 \(height)")
        }
        if let page = setup.page {
            guard page.paperSize >= 1 else { throw XLSXError.invalidLayout("纸张 \(page.paperSize)") }
            let m = page.margins
            for v in [m.left, m.right, m.top, m.bottom, m.header, m.footer] where !(v.isFinite && v >= 0 && v < 50) {
                throw XLSXError.invalidLayout("页边距 \(v)")
            }
            if let r = page.repeatRows, !(r.lowerBound >= 1 && r.upperBound <= SheetLimits.maxRows) {
                throw XLSXError.invalidLayout("打印标题行 \(r)")
            }
            if let c = page.repeatColumns, !(c.lowerBound >= 1 && c.upperBound <= SheetLimits.maxColumns) {
                throw XLSXError.invalidLayout("打印标题列 \(c)")
            }
        }
    }

    private func writeSheetStart(_ setup: SheetSetup, selected: Bool) {
        buffer.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        buffer.raw("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">")
        if setup.page?.fitToWidth == true { buffer.raw("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>") }
        buffer.raw("<sheetViews><sheetView")
        if !setup.showGridLines { buffer.raw(" showGridLines=\"0\"") }
        if selected { buffer.raw(" tabSelected=\"1\"") }
        buffer.raw(" workbookViewId=\"0\"")
        let rows = setup.frozen?.rows ?? 0, columns = setup.frozen?.columns ?? 0
        if rows == 0 && columns == 0 {
            buffer.raw("/>")
        } else {
            let topLeft = CellAddress(row: rows + 1, column: columns + 1).description
            let pane = rows > 0 && columns > 0 ? "bottomRight" : rows > 0 ? "bottomLeft" : "topRight"
            buffer.raw("><pane")
            if columns > 0 { buffer.raw(" xSplit=\"\(columns)\"") }
            if rows > 0 { buffer.raw(" ySplit=\"\(rows)\"") }
            buffer.raw(" topLeftCell=\"\(topLeft)\" activePane=\"\(pane)\" state=\"frozen\"/>")
            if rows > 0 && columns > 0 {
                buffer.raw("<selection pane=\"topRight\" activeCell=\"\(CellAddress(row: 1, column: columns + 1))\" sqref=\"\(CellAddress(row: 1, column: columns + 1))\"/>")
                buffer.raw("<selection pane=\"bottomLeft\" activeCell=\"\(CellAddress(row: rows + 1, column: 1))\" sqref=\"\(CellAddress(row: rows + 1, column: 1))\"/>")
            }
            buffer.raw("<selection pane=\"\(pane)\" activeCell=\"\(topLeft)\" sqref=\"\(topLeft)\"/></sheetView>")
        }
        buffer.raw("</sheetViews>")
        if let height = setup.defaultRowHeight {
            buffer.raw("<sheetFormatPr defaultRowHeight=\"")
            buffer.double(height)
            buffer.raw("\" customHeight=\"1\"/>")
        }
        if !setup.columns.isEmpty {
            buffer.raw("<cols>")
            for column in setup.columns.sorted(by: { $0.columns.lowerBound < $1.columns.lowerBound }) {
                buffer.raw("<col min=\"")
                buffer.int(column.columns.lowerBound)
                buffer.raw("\" max=\"")
                buffer.int(column.columns.upperBound)
                buffer.raw("\" width=\"")
                buffer.double(column.width ?? 9.140625)
                buffer.raw("\"")
                if column.width != nil { buffer.raw(" customWidth=\"1\"") }
                if column.hidden { buffer.raw(" hidden=\"1\"") }
                buffer.raw("/>")
            }
            buffer.raw("</cols>")
        }
        buffer.raw("<sheetData>")
    }

    private func writeRow(_ row: Int, _ cells: [Cell], height: Double?) {
        // Work on a local buffer: no exclusivity checks on the class's property per append.
        var out = XMLBuffer()
        swap(&out, &buffer)
        RowEncoder.write(row: row, cells: cells, height: height, into: &out)
        swap(&out, &buffer)
    }
}

/// The XML of one row (`<row r="…">…</row>`), nothing when it has no cells and no height.
enum RowEncoder {
    static func write(row: Int, cells: [Cell], height: Double?, into out: inout XMLBuffer) {
        let mark = out.count
        let rowNumber = RowNumber(row)
        out.raw("<row r=\"")
        rowNumber.append(to: &out)
        if let height {
            out.raw("\" ht=\"")
            out.double(height)
            out.raw("\" customHeight=\"1\">")
        } else {
            out.raw("\">")
        }
        var wroteCell = false
        cells.withUnsafeBufferPointer { cells in
            for index in 0..<cells.count where writeCell(cells, index, row: rowNumber, into: &out) {
                wroteCell = true
            }
        }
        if wroteCell || height != nil {
            out.raw("</row>")
        } else {
            out.bytes.removeLast(out.count - mark)
        }
    }

    /// A row number's digits in a UInt64, last digit in the lowest byte (at most 7 digits): formatted
    /// once per row, appended to every cell reference in it.
    struct RowNumber {
        private var digits: UInt64 = 0
        private var digitCount = 0

        init(_ row: Int) {
            var r = row
            repeat {
                digits |= UInt64(0x30 + r % 10) << UInt64(8 * digitCount)
                r /= 10
                digitCount += 1
            } while r > 0
        }

        @inline(__always) func append(to out: inout XMLBuffer) {
            withUnsafeBytes(of: digits.bigEndian) { out.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[(8 - digitCount)...])) }
        }
    }

    /// Writes the cell at `index` (its column is `index + 1`); false when it is empty and plain, so
    /// nothing is written.
    @inline(__always) private static func writeCell(_ cells: UnsafeBufferPointer<Cell>, _ index: Int, row: RowNumber,
                                                    into out: inout XMLBuffer) -> Bool {
        // Opens `<c r="B14"` with the style (the caller closes the tag).
        @inline(__always) func open(_ out: inout XMLBuffer, _ styleIndex: Int) {
            out.raw("<c r=\"")
            appendColumn(index + 1, &out)
            row.append(to: &out)
            if styleIndex != 0 {
                out.raw("\" s=\"")
                out.int(styleIndex)
            }
            out.byte(0x22)
        }
        let style = cells[index].style
        switch cells[index].value {
        case .empty:
            if case .plain = style { return false }
            open(&out, style.index(fractionDigits: 0))
            out.raw("/>")
        case .text(let text):
            open(&out, style.index(fractionDigits: 0))
            writeInlineString(text, &out)
        case .number(var text):
            let written: Bool = text.withUTF8 { u in
                guard let fraction = Cell.plainDecimalFractionDigits(u) else { return false }
                open(&out, style.index(fractionDigits: fraction))
                out.raw("><v>")
                out.bytes.append(contentsOf: u)
                out.raw("</v></c>")
                return true
            }
            if !written {
                open(&out, style.index(fractionDigits: 0))
                writeInlineString(text, &out)
            }
        case .integer(let value):
            open(&out, style.index(fractionDigits: 0))
            out.raw("><v>")
            out.int(value)
            out.raw("</v></c>")
        case .boolean(let value):
            open(&out, style.index(fractionDigits: 0))
            out.raw(value ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>")
        }
        return true
    }

    /// Column letters without a table: `A`…`Z`, `AA`…`ZZ`, `AAA`…`XFD`.
    @inline(__always) static func appendColumn(_ column: Int, _ out: inout XMLBuffer) {
        if column <= 26 {
            out.byte(0x40 &+ UInt8(truncatingIfNeeded: column))
        } else if column <= 702 {
            let n = column - 1
            out.byte(0x40 &+ UInt8(truncatingIfNeeded: n / 26))
            out.byte(0x41 &+ UInt8(truncatingIfNeeded: n % 26))
        } else {
            let n = column - 703
            out.byte(0x41 &+ UInt8(truncatingIfNeeded: n / 676))
            out.byte(0x41 &+ UInt8(truncatingIfNeeded: (n / 26) % 26))
            out.byte(0x41 &+ UInt8(truncatingIfNeeded: n % 26))
        }
    }

    /// ` t="inlineStr"><is><t>…</t></is></c>` (the `<c` already open).
    static func writeInlineString(_ text: String, _ buffer: inout XMLBuffer) {
        var text = text
        if text.utf8.count > SheetLimits.maxCellTextLength, text.utf16.count > SheetLimits.maxCellTextLength {
            text = SheetName.truncated(text, toUTF16: SheetLimits.maxCellTextLength)
        }
        let utf8 = text.utf8
        let preserve: Bool = {
            guard let first = utf8.first, let last = utf8.last else { return false }
            func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
            return space(first) || space(last)
        }()
        buffer.raw(preserve ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" : " t=\"inlineStr\"><is><t>")
        buffer.text(text, cellText: true)
        buffer.raw("</t></is></c>")
    }
}
