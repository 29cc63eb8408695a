import DRSCore

/// The access table as Markdown, for docs/security.md: one line per rule, in the table's order.
extension AccessPolicy {
    public static var markdown: String {
        var lines = ["| role | actions | on | channels | outcome |", "| --- | --- | --- | --- | --- |"]
        for rule in rules {
            let channels = rule.reach == .platform ? "—" : FilingChannel.allCases.filter { rule.channels.contains($0) }.map(\.chineseName).joined(separator: "、")
            let outcome: String
            switch rule.outcome {
            case .allow: outcome = "allow"
            case .forbid(let reason): outcome = "403「\(reason)」"
            }
            lines.append("| \(rule.role.chineseName) | \(rule.actions.map(\.chineseName).joined(separator: "、")) | \(rule.reach.description) | \(channels) | \(outcome) |")
        }
        return lines.joined(separator: "\n")
    }
}

extension Subject.Role {
    public var chineseName: String {
        switch self {
        case .respondent: "填报人"
        case .provincialReviewer: "省级审核员"
        case .headquartersReviewer: "集团总部审核员"
        case .association: "行业协会填报人"
        case .publicSecurity: "公安填报人"
        case .admin: "国家数据局管理员"
        }
    }
}

extension AccessAction {
    public var chineseName: String {
        switch self {
        case .viewUnit: "查看单位报表目录"
        case .viewForm: "查看报表"
        case .editForm: "填报保存"
        case .submitForm: "提交"
        case .viewReview: "审核页"
        case .approve: "审核通过"
        case .returnForm: "退回"
        case .verify: "核定"
        case .reopen: "重新打开"
        case .viewConsolidation: "查看集团汇总"
        case .consolidate: "集团汇总"
        case .importForm: "批量导入报表"
        case .oversee: "审核队列/报送进度"
        case .importData: "批量导入"
        case .administer: "名录库/审计/汇总/导出"
        case .viewReportDraft: "查看调查报告草稿与版本"
        case .sendReportToNBS: "调查报告抄送国家统计局"
        case .publishReport: "发布调查报告"
        case .reviseReport: "修订调查报告"
        }
    }
}

extension FilingChannel {
    public var chineseName: String {
        switch self {
        case .regular: "网络填报"
        case .industryAssociation: "行业协会"
        case .publicSecurity: "公安"
        }
    }
}

extension AccessPolicy.Reach: CustomStringConvertible {
    public var description: String {
        switch self {
        case .anyUnit: "any unit"
        case .anyGroupHead: "any group headquarters"
        case .ownUnit: "own unit"
        case .ownGroupHead: "own unit, if it heads a group"
        case .ownSubsidiaries: "own group's subsidiaries"
        case .provinceLine: "own province's units, not of a group"
        case .platform: "(no unit)"
        }
    }
}
