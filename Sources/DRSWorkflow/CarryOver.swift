import DRSCore

/// 摘抄 (the catalog's 上年同期: 如已参加上年调查，可通过摘抄取得上年数据): a form not yet started shows
/// last year's verified 本年实际 as this year's 上年同期, cell by cell. Only verified figures are the
/// office's record of last year; once the filer has saved anything, their own figures stand.
public enum CarryOver {
    /// Last year's statuses whose figures are carried over (and compared year over year).
    public static let sourceStatuses: Set<SubmissionStatus> = [.verified]
    /// The column carry-over fills this year, and the column of last year it is taken from.
    public static let targetColumn: ColumnID = "prev"
    public static let sourceColumn: ColumnID = "cur"

    /// Whether last year's submission, in this status, is the figures to carry over.
    public static func counts(lastYear status: SubmissionStatus?) -> Bool {
        status.map { sourceStatuses.contains($0) } ?? false
    }

    /// Whether this year's submission, in this status (nil: none yet), is filled from last year.
    public static func applies(to status: SubmissionStatus?) -> Bool {
        (status ?? .notStarted) == .notStarted
    }

    /// The cell of last year a cell of this year is carried from (本年实际 of the same row and member
    /// for 上年同期), or nil when it is not carried.
    public static func source(of key: CellKey) -> CellKey? {
        key.column == targetColumn ? CellKey(code: key.code, column: sourceColumn, member: key.member) : nil
    }

    /// Fills the empty carried cells of `values` from last year's figures; returns how many it filled.
    @discardableResult
    public static func apply(_ layout: CellLayout, into values: inout CellValues, from last: CellValues) -> Int {
        var filled = 0
        for (slot, cell) in layout.cells.enumerated() where slot < values.count && !values.present[slot] {
            guard let key = source(of: cell.key), let from = layout.slot(key), from < last.count, let value = last[from] else { continue }
            values[slot] = value
            filled += 1
        }
        return filled
    }
}
