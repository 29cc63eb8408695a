/// Why an upload was refused: a kind to act on and a message in Chinese to show the filer.
public struct XLSXReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Not a ZIP file, or a ZIP that is not an Excel workbook (a Word document, an ODS file…).
        case notXLSX
        /// An OLE compound file (an encrypted OOXML workbook or a legacy `.xls`), or a ZIP with
        /// encrypted entries.
        case encrypted
        /// A macro-enabled workbook (`xl/vbaProject.bin`, a macroEnabled content type, macro sheets).
        case macroEnabled
        /// One of the caller's `XLSXReadLimits` was crossed.
        case limitExceeded(XLSXReadLimits.Limit)
        /// Broken: truncated, CRC mismatch, bad DEFLATE data, malformed XML, missing parts…
        case corrupt
        /// Well-formed but using something this reader does not accept (a binary `.xlsb` workbook,
        /// an unusual compression method, a multi-volume archive).
        case unsupported
    }

    public var kind: Kind
    /// For the filer, in Chinese.
    public var message: String
    /// The ZIP entry concerned, if any (for logs).
    public var part: String?
    /// Technical detail for logs (English), e.g. where the XML of a part is malformed.
    public var detail: String?

    public init(_ kind: Kind, _ message: String, part: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.message = message
        self.part = part
        self.detail = detail
    }

    public var description: String {
        var text = message
        if let part { text += "（\(part)）" }
        if let detail { text += " [\(detail)]" }
        return text
    }
}

extension XLSXReadError {
    static let resave = "请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传。"

    static let notZip = XLSXReadError(.notXLSX, "文件不是 Excel 工作簿（.xlsx），请选择正确的文件后上传。")
    static let notWorkbook = XLSXReadError(.notXLSX, "文件不是 Excel 工作簿（.xlsx）：其中没有工作簿内容，请选择正确的文件后上传。")
    static let oleCompound = XLSXReadError(.encrypted, "文件已加密或是旧版 Excel（.xls）格式，请另存为 .xlsx 后上传")
    static func encryptedEntry(_ part: String) -> XLSXReadError {
        XLSXReadError(.encrypted, "文件已加密（ZIP 密码保护），请去除密码后另存为 .xlsx 再上传。", part: part)
    }
    static func macro(_ part: String?) -> XLSXReadError {
        XLSXReadError(.macroEnabled, "含宏的工作簿（.xlsm）不予接收，请另存为不含宏的 .xlsx 后上传。", part: part)
    }
    static let binaryWorkbook = XLSXReadError(.unsupported, "二进制工作簿（.xlsb）不予接收，" + resave, part: "xl/workbook.bin")

    static func corrupt(_ what: String, part: String? = nil, detail: String? = nil) -> XLSXReadError {
        XLSXReadError(.corrupt, "文件已损坏：\(what)。" + resave, part: part, detail: detail)
    }
    static func unsupported(_ detail: String, part: String? = nil) -> XLSXReadError {
        XLSXReadError(.unsupported, "文件使用了不支持的格式：\(detail)。" + resave, part: part)
    }

    static func limit(_ limit: XLSXReadLimits.Limit, _ limits: XLSXReadLimits, part: String? = nil, sheet: String? = nil) -> XLSXReadError {
        let message: String
        let partText = part.map { "部件 \($0) " } ?? "部件"
        let sheetText = sheet.map { "工作表“\($0)”" } ?? "工作表"
        switch limit {
        case .fileSize:
            message = "文件过大（超过 \(bytesText(limits.maxFileSize))），请删去无关的工作表、图片后重新上传。"
        case .totalUncompressedSize:
            message = "文件解压后过大（超过 \(bytesText(limits.maxTotalUncompressedSize))），不予接收。"
        case .partSize:
            message = "文件中的\(partText)解压后过大（超过 \(bytesText(limits.maxPartSize))），不予接收。"
        case .compressionRatio:
            message = "文件中的\(partText)压缩比异常（超过 \(limits.maxCompressionRatio):1），疑似压缩炸弹，不予接收。"
        case .entries:
            message = "文件包含的部件过多（超过 \(limits.maxEntries) 个），不予接收。"
        case .rows:
            message = "\(sheetText)的行号超过 \(limits.maxRows)，不予接收。"
        case .columns:
            message = "\(sheetText)的列号超过 \(limits.maxColumns)，不予接收。"
        case .sharedStrings:
            message = "文件中的共享字符串超过 \(limits.maxSharedStrings) 个，不予接收。"
        case .cells:
            message = "文件中有内容的单元格超过 \(limits.maxCells) 个，不予接收。"
        }
        return XLSXReadError(.limitExceeded(limit), message, part: part)
    }

    /// "20 MB" for whole mebibytes, otherwise bytes.
    static func bytesText(_ n: Int) -> String {
        if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MB" }
        if n >= 1 << 10 && n % (1 << 10) == 0 { return "\(n >> 10) KB" }
        return "\(n) 字节"
    }
}
