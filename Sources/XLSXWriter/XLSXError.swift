/// What the writer refuses. Errors about arguments are thrown before anything of the call is
/// written, so the writer can go on; after an error from the sink the writer is `failed`.
public enum XLSXError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `DocumentProperties.created` is not `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
    case invalidTimestamp(String)
    /// `appendRow`/`merge`/`endSheet` without `beginSheet`.
    case noOpenSheet
    /// A call after `finish`.
    case finished
    /// A call after the sink (or an earlier step) failed; the output is not usable.
    case failed
    /// Row `row` is beyond 1,048,576.
    case tooManyRows(row: Int)
    /// A row of `count` cells (more than 16,384).
    case tooManyColumns(count: Int)
    /// A range outside the sheet.
    case invalidRange(String)
    /// Two merged ranges share a cell.
    case overlappingMerges(CellRange, CellRange)
    /// Column formats that overlap or lie outside 1…16,384, widths outside 0…255, heights outside
    /// 0…409, frozen panes outside the sheet, a paper size below 1.
    case invalidLayout(String)
    case invalidDefinedName(String)
    case duplicateDefinedName(String)
    /// A defined name's `sheetIndex` names no sheet.
    case invalidSheetIndex(Int)
    /// `finish` with no sheet: a workbook needs one.
    case noSheets
    /// `finish` with every sheet hidden: a workbook needs a visible one.
    case noVisibleSheet

    public var description: String {
        switch self {
        case .invalidTimestamp(let s): "创建时间「\(s)」不是 ISO 8601 时间（如 2026-03-31T08:00:00Z）"
        case .noOpenSheet: "没有正在写入的工作表"
        case .finished: "工作簿已经写完"
        case .failed: "此前的写入失败，输出不可用"
        case .tooManyRows(let row): "第 \(row) 行超出工作表的 1,048,576 行"
        case .tooManyColumns(let count): "一行 \(count) 个单元格，超出 16,384 列"
        case .invalidRange(let s): "单元格区域「\(s)」无效"
        case .overlappingMerges(let a, let b): "合并区域 \(a) 与 \(b) 重叠"
        case .invalidLayout(let s): "版式设置无效：\(s)"
        case .invalidDefinedName(let s): "名称「\(s)」无效"
        case .duplicateDefinedName(let s): "名称「\(s)」重复"
        case .invalidSheetIndex(let i): "没有序号为 \(i) 的工作表"
        case .noSheets: "工作簿至少要有一张工作表"
        case .noVisibleSheet: "工作簿至少要有一张可见的工作表"
        }
    }
}
