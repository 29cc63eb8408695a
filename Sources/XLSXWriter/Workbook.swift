/// One sheet of a `Workbook` built in memory.
public struct Sheet: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var cells: [Cell]
        /// Points (0…409); nil: the default height.
        public var height: Double?

        public init(_ cells: [Cell], height: Double? = nil) {
            self.cells = cells
            self.height = height
        }
    }

    /// Sanitised and made unique when written (`SheetName.sanitize`).
    public var name: String
    public var setup: SheetSetup
    /// Row `i` of the array is sheet row `i + 1`; `Row([])` leaves a row empty.
    public var rows: [Row]
    public var merges: [CellRange]

    public init(name: String, setup: SheetSetup = SheetSetup(), rows: [Row] = [], merges: [CellRange] = []) {
        self.name = name
        self.setup = setup
        self.rows = rows
        self.merges = merges
    }

    /// The number of the row `append` adds.
    public var nextRow: Int { rows.count + 1 }

    public mutating func append(_ cells: [Cell], height: Double? = nil) {
        rows.append(Row(cells, height: height))
    }

    public mutating func merge(_ range: CellRange) {
        merges.append(range)
    }
}

/// A workbook built in memory and written in one go; the same bytes as streaming the same sheets.
///
/// ```swift
/// var sheet = Sheet(name: "汇总表", setup: SheetSetup(frozen: FrozenPanes(rows: 2)))
/// sheet.append([.text("全国汇总", style: .title)])
/// sheet.merge(CellRange("A1:C1")!)
/// sheet.append([.text("指标", style: .header), .text("数值", style: .header)])
/// sheet.append([.text("数据量", style: .text), .number("12.5", style: .number())])
/// let bytes = try Workbook(properties: DocumentProperties(title: "汇总表", created: "2026-03-31T08:00:00Z"),
///                          sheets: [sheet]).bytes()
/// ```
public struct Workbook: Sendable, Hashable {
    public var properties: DocumentProperties
    public var sheets: [Sheet]
    public var definedNames: [DefinedName]
    public var options: WriterOptions

    public init(properties: DocumentProperties, sheets: [Sheet] = [], definedNames: [DefinedName] = [], options: WriterOptions = WriterOptions()) {
        self.properties = properties
        self.sheets = sheets
        self.definedNames = definedNames
        self.options = options
    }

    /// The `.xlsx` file.
    public func bytes() throws -> [UInt8] {
        try write(to: ByteArraySink()).bytes
    }

    /// Writes the workbook to `sink` and returns the sink.
    public func write<S: ByteSink>(to sink: S) throws -> S {
        let writer = try XLSXStreamWriter(sink: sink, properties: properties, options: options)
        for name in definedNames { try writer.defineName(name) }
        for sheet in sheets {
            try writer.beginSheet(sheet.name, setup: sheet.setup)
            for range in sheet.merges { try writer.merge(range) }
            for row in sheet.rows { try writer.appendRow(row.cells, height: row.height) }
            try writer.endSheet()
        }
        try writer.finish()
        return writer.sink
    }
}
