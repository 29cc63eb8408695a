/// Why a form cannot be aggregated, in Chinese for the office that asked.
public enum AggregationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 公共1表, 企业1表 hold coded answers about the unit, not figures to total.
    case basicInformationForm(form: String)
    /// A `weightedMean` row whose weight cannot be bound (a catalog defect the validator did not catch).
    case invalidWeight(form: String, code: String, weight: String, reason: String)
    /// A record whose figures belong to another form's layout.
    case wrongShape(form: String, record: Int, expected: Int, found: Int)
    /// A total, weight or weighted sum beyond 128 bits: reported, never wrapped.
    case overflow(form: String, cell: CellKey, group: [String])

    public var description: String {
        switch self {
        case .basicInformationForm(let form):
            "\(form) 为基本情况表，不做数值汇总"
        case .invalidWeight(let form, let code, let weight, let reason):
            "\(form) 指标\(code)的加权基数「\(weight)」无法使用：\(reason)"
        case .wrongShape(let form, let record, let expected, let found):
            "第\(record + 1)份数据不是 \(form) 的数据（应有\(expected)个单元格，实有\(found)个）"
        case .overflow(let form, let cell, let group):
            "\(form) 单元格 \(cell) 在分组「\(group.isEmpty ? "全国" : group.joined(separator: "/"))」的汇总超出可精确计算的范围"
        }
    }
}
