/// Bounds on what `XLSXFile.read` accepts, so a hostile upload (a ZIP bomb, a sheet of millions of
/// cells) is refused before it costs memory or time. Every size is in bytes.
///
/// Sizes are checked against the central directory before a part is inflated, and the inflater never
/// writes more than the size the directory declares (a part that inflates to more is refused as
/// corrupt), so no more than the limits is ever allocated for decompressed data.
public struct XLSXReadLimits: Sendable, Hashable {
    /// The limit a refusal names (`XLSXReadError.Kind.limitExceeded`).
    public enum Limit: String, Sendable, Hashable, CaseIterable {
        /// The uploaded file itself (`maxFileSize`).
        case fileSize
        /// All parts read, decompressed, together (`maxTotalUncompressedSize`).
        case totalUncompressedSize
        /// One part, decompressed (`maxPartSize`).
        case partSize
        /// Decompressed ÷ compressed size of one part (`maxCompressionRatio`, beyond `compressionRatioThreshold`).
        case compressionRatio
        /// Entries in the ZIP (`maxEntries`).
        case entries
        /// A cell or merge beyond row `maxRows`.
        case rows
        /// A cell or merge beyond column `maxColumns`.
        case columns
        /// Strings in the shared-string table (`maxSharedStrings`).
        case sharedStrings
        /// Cells with a value, in all sheets together (`maxCells`).
        case cells
    }

    /// The compressed (uploaded) file. Default 20 MB.
    public var maxFileSize: Int
    /// The parts read (workbook, relationships, styles, shared strings, sheets), decompressed, in
    /// total. Parts that are not read (images, drawings, comments…) do not count. Default 100 MB.
    public var maxTotalUncompressedSize: Int
    /// Any single part, decompressed. Default 50 MB.
    public var maxPartSize: Int
    /// Decompressed ÷ compressed size of a part larger than `compressionRatioThreshold`. Default 200.
    public var maxCompressionRatio: Int
    /// Parts at most this large (decompressed) are not subject to `maxCompressionRatio`. Default 1 MB.
    public var compressionRatioThreshold: Int
    /// ZIP entries (parts, of any kind). Default 10,000.
    public var maxEntries: Int
    /// Highest row number of a cell or merged range. Default 1,048,576 (Excel's own limit).
    public var maxRows: Int
    /// Highest column number of a cell or merged range. Default 16,384 (XFD, Excel's own limit).
    public var maxColumns: Int
    /// Strings in `sharedStrings.xml`. Default 1,000,000.
    public var maxSharedStrings: Int
    /// Cells with a value, all sheets together (each costs roughly 60–100 bytes in memory). Default
    /// 5,000,000.
    public var maxCells: Int

    public init(maxFileSize: Int = 20 << 20, maxTotalUncompressedSize: Int = 100 << 20, maxPartSize: Int = 50 << 20,
                maxCompressionRatio: Int = 200, compressionRatioThreshold: Int = 1 << 20, maxEntries: Int = 10_000,
                maxRows: Int = 1_048_576, maxColumns: Int = 16_384, maxSharedStrings: Int = 1_000_000,
                maxCells: Int = 5_000_000) {
        self.maxFileSize = maxFileSize
        self.maxTotalUncompressedSize = maxTotalUncompressedSize
        self.maxPartSize = maxPartSize
        self.maxCompressionRatio = maxCompressionRatio
        self.compressionRatioThreshold = compressionRatioThreshold
        self.maxEntries = maxEntries
        self.maxRows = maxRows
        self.maxColumns = maxColumns
        self.maxSharedStrings = maxSharedStrings
        self.maxCells = maxCells
    }

    /// The defaults: 20 MB file, 100 MB decompressed in total, 50 MB per part, 200:1 beyond 1 MB,
    /// 10,000 entries, 1,048,576 rows × 16,384 columns, 1,000,000 shared strings, 5,000,000 cells.
    public static let standard = XLSXReadLimits()
}
