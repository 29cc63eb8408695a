import DRSCore

/// The one access decision of the platform: which account may do what to which unit and form. It
/// follows the seed's organisation (一、总说明 (六)–(九)): filers fill their own unit's forms of their
/// channel; a province reviews the units of its region that report through it; a central-enterprise
/// headquarters reviews and consolidates its subsidiaries; 公共5表 comes through the public-security
/// channel to the national office; the national office sees and does everything. Every route and
/// every list of units or submissions asks this function, so the table below is the whole story.
public enum AccessPolicy {
    /// Which units a row reaches, relative to the account.
    public enum Reach: String, Sendable, CaseIterable {
        /// Any unit (the national office).
        case anyUnit
        /// A unit that heads a consolidating group (the national office's view of consolidations).
        case anyGroupHead
        /// The account's own unit.
        case ownUnit
        /// The account's own unit, when it heads a consolidating group.
        case ownGroupHead
        /// The subsidiaries of the group the account's unit heads.
        case ownSubsidiaries
        /// Units of the reviewer's province that report through it: not a group's headquarters or
        /// subsidiary (they report through the group), and only channels the province reviews.
        case provinceLine
        /// No unit: a platform action.
        case platform
    }

    public enum Outcome: Sendable, Equatable {
        case allow
        /// In scope, but refused with a reason (HTTP 403).
        case forbid(String)
    }

    /// One line of the table: a role may do these actions to units it reaches, for forms of these channels.
    public struct Rule: Sendable {
        public var role: Subject.Role
        public var actions: [AccessAction]
        public var reach: Reach
        public var channels: Set<FilingChannel>
        public var outcome: Outcome

        init(_ role: Subject.Role, _ actions: [AccessAction], _ reach: Reach, _ channels: Set<FilingChannel> = Set(FilingChannel.allCases),
             _ outcome: Outcome = .allow) {
            self.role = role
            self.actions = actions
            self.reach = reach
            self.channels = channels
            self.outcome = outcome
        }
    }

    static let filing: [AccessAction] = [.viewUnit, .viewForm, .editForm, .submitForm]
    static let reviewing: [AccessAction] = [.viewUnit, .viewForm, .viewReview, .approve, .returnForm]
    static let nationalOnly: [AccessAction] = [.verify, .reopen]
    static let all = Set(FilingChannel.allCases)
    /// Channels a province or headquarters reviews; 公共5表 (public security) goes to the national office.
    static let reviewedLocally: Set<FilingChannel> = [.regular, .industryAssociation]

    /// The table. A request is allowed by the first row whose role, action, reach and channel match;
    /// with no matching row the unit does not exist for the account.
    public static let rules: [Rule] = [
        // 国家数据局
        Rule(.admin, AccessAction.allCases.filter { $0.isUnitAction && $0 != .viewConsolidation && $0 != .consolidate }, .anyUnit),
        Rule(.admin, [.viewConsolidation, .consolidate], .anyGroupHead, [.regular]),
        Rule(.admin, [.oversee, .importData, .administer, .viewReportDraft, .sendReportToNBS, .publishReport, .reviseReport], .platform),
        // 填报人, 行业协会, 公安: their own unit, the forms of their channel.
        Rule(.respondent, filing, .ownUnit, [.regular]),
        Rule(.respondent, [.viewConsolidation, .consolidate], .ownGroupHead, [.regular]),
        Rule(.association, filing, .ownUnit, [.industryAssociation]),
        Rule(.publicSecurity, filing, .ownUnit, [.publicSecurity]),
        // 央企总部: its own forms and consolidation, the review of its subsidiaries.
        Rule(.headquartersReviewer, filing, .ownUnit, [.regular]),
        Rule(.headquartersReviewer, [.viewConsolidation, .consolidate], .ownGroupHead, [.regular]),
        Rule(.headquartersReviewer, reviewing, .ownSubsidiaries, [.regular]),
        Rule(.headquartersReviewer, [.verify], .ownSubsidiaries, [.regular], .forbid("只有国家数据局可以核定")),
        Rule(.headquartersReviewer, [.reopen], .ownSubsidiaries, [.regular], .forbid("只有国家数据局可以重新打开")),
        Rule(.headquartersReviewer, [.importForm], .ownUnit, [.regular]),
        Rule(.headquartersReviewer, [.importForm], .ownSubsidiaries, [.regular]),
        Rule(.headquartersReviewer, [.oversee, .importData], .platform),
        // 省级审核: the units of the province that report through it.
        Rule(.provincialReviewer, reviewing, .provinceLine, reviewedLocally),
        Rule(.provincialReviewer, [.verify], .provinceLine, reviewedLocally, .forbid("只有国家数据局可以核定")),
        Rule(.provincialReviewer, [.reopen], .provinceLine, reviewedLocally, .forbid("只有国家数据局可以重新打开")),
        Rule(.provincialReviewer, [.oversee], .platform),
    ]

    /// The lifecycle step behind each action whose submission status the decision checks.
    /// Consolidation and imports are checked by the store itself (a refused write, not a 409 here).
    public static let steps: [AccessAction: SubmissionStep] = [
        .editForm: .saveDraft, .submitForm: .submit, .approve: .approve, .returnForm: .return, .verify: .verify, .reopen: .reopen,
    ]

    /// The statuses in which an action can be taken on a submission: its step's in
    /// `SubmissionLifecycle`. Actions not listed do not depend on the status.
    public static let statuses: [AccessAction: Set<SubmissionStatus>] = steps.mapValues { SubmissionLifecycle.transition($0).from }

    /// Decides one action. `target` is nil for platform actions.
    public static func decide(_ subject: Subject, _ action: AccessAction, _ target: Target?) -> Decision {
        for rule in rules where rule.role == subject.role && rule.actions.contains(action) {
            guard reaches(rule.reach, subject, target) else { continue }
            if let target, rule.reach != .platform, !rule.channels.contains(target.channel) { continue }
            if case .forbid(let reason) = rule.outcome { return .deny(.forbidden(reason)) }
            if let status = target?.status, let allowed = statuses[action], !allowed.contains(status) { return .deny(.status(status)) }
            return .allow
        }
        return .deny(.outOfScope)
    }

    /// The province (first two digits of a region code) that every unit `subject` may `action` lies
    /// in, when each rule that could allow it reaches by province line; nil when the reach is wider or
    /// otherwise shaped. A list may narrow its query to that province in the database first; the
    /// decision per unit above still applies to what it reads.
    public static func province(confining subject: Subject, _ action: AccessAction) -> String? {
        let allowing = rules.filter { rule in
            guard rule.role == subject.role, rule.actions.contains(action) else { return false }
            if case .forbid = rule.outcome { return false }
            return true
        }
        guard !allowing.isEmpty, allowing.allSatisfy({ $0.reach == .provinceLine }), let region = subject.region, region.count >= 2 else {
            return nil
        }
        return String(region.prefix(2))
    }

    static func reaches(_ reach: Reach, _ subject: Subject, _ target: Target?) -> Bool {
        guard let target else { return reach == .platform }
        switch reach {
        case .platform: return false
        case .anyUnit: return true
        case .anyGroupHead: return target.headsGroup
        case .ownUnit: return subject.unitID != nil && subject.unitID == target.unitID
        case .ownGroupHead: return subject.unitID != nil && subject.unitID == target.unitID && target.headsGroup
        case .ownSubsidiaries: return subject.unitID != nil && target.groupID == subject.unitID
        case .provinceLine:
            guard let region = subject.region else { return false }
            return sameProvince(region, target.region) && target.groupID == nil && !target.headsGroup
        }
    }
}
