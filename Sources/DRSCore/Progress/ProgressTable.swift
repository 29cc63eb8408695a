/// 报送进度: for a survey year, how many of the assigned (unit, form) pairs are in each status, by
/// province × respondent type × form. Overdue = not yet submitted once the deadline has passed.
public struct ProgressTable: Sendable, Equatable {
    /// The statuses in workflow order (the storage layer's raw values).
    public static let statuses = ["notStarted", "draft", "submitted", "returned", "approved", "verified"]
    public static let statusNames = ["未填报", "草稿", "已提交", "已退回", "已通过", "已核定"]
    /// Statuses in which the unit still owes the form.
    public static let outstanding: Set<String> = ["notStarted", "draft", "returned"]

    /// Assignments alike: `count` units must file a form, and it is in one status.
    public struct Assignment: Sendable {
        public var province: String
        public var type: String
        public var form: String
        public var status: String
        public var count: Int

        public init(province: String, type: String, form: String, status: String, count: Int = 1) {
            self.province = province
            self.type = type
            self.form = form
            self.status = status
            self.count = count
        }
    }

    public struct Row: Sendable, Equatable {
        public var province: String
        public var type: String
        public var form: String
        public var assigned: Int
        /// Counts in the order of `ProgressTable.statuses`.
        public var byStatus: [Int]
        public var overdue: Int

        public func count(_ status: String) -> Int { ProgressTable.statuses.firstIndex(of: status).map { byStatus[$0] } ?? 0 }
        /// Submitted at least once and not sent back: 已提交 + 已通过 + 已核定.
        public var reported: Int { count("submitted") + count("approved") + count("verified") }
        /// Share reported, in whole percent (rounded down, so 100 means every one).
        public var reportedPercent: Int { assigned == 0 ? 0 : reported * 100 / assigned }
    }

    public var rows: [Row]
    public var total: Row

    /// Counts the assignments; rows sorted by province, type, form (the caller's code-list orders).
    public init(_ assignments: [Assignment], pastDeadline: Bool,
                order: (province: [String], type: [String], form: [String]) = ([], [], [])) {
        func rank(_ list: [String], _ value: String) -> Int { list.firstIndex(of: value) ?? list.count }
        var index: [String: Int] = [:]
        var rows: [Row] = []
        var total = Row(province: "", type: "", form: "", assigned: 0, byStatus: Array(repeating: 0, count: Self.statuses.count), overdue: 0)
        for a in assignments {
            let key = a.province + "\u{1F}" + a.type + "\u{1F}" + a.form
            let i: Int
            if let found = index[key] { i = found } else {
                i = rows.count
                index[key] = i
                rows.append(Row(province: a.province, type: a.type, form: a.form, assigned: 0,
                                byStatus: Array(repeating: 0, count: Self.statuses.count), overdue: 0))
            }
            let s = Self.statuses.firstIndex(of: a.status) ?? 0
            let late = pastDeadline && Self.outstanding.contains(a.status)
            rows[i].assigned += a.count
            rows[i].byStatus[s] += a.count
            total.assigned += a.count
            total.byStatus[s] += a.count
            if late {
                rows[i].overdue += a.count
                total.overdue += a.count
            }
        }
        self.rows = rows.sorted {
            (rank(order.province, $0.province), $0.province, rank(order.type, $0.type), $0.type, rank(order.form, $0.form), $0.form)
                < (rank(order.province, $1.province), $1.province, rank(order.type, $1.type), $1.type, rank(order.form, $1.form), $1.form)
        }
        self.total = total
    }
}
