/// How far a list of units or submissions reaches for an account, in terms a database query can use.
/// The table's decision per row stays the authority: only `.everything` means it allows every row,
/// so that a list may count and page in the database; the narrower reaches only narrow what is read,
/// and each row read is still decided by `AccessPolicy.decide` (a list may also narrow to groups of
/// units the table decided alike, as 报送进度 and a province's review queue do).
public enum ListReach: Sendable, Equatable {
    /// Every unit, every channel: the first rule of the table that matches allows any row.
    case everything
    /// Some units of one province (the first two digits of a region code).
    case province(String)
    /// Some subsidiaries of the group the account's unit heads (that unit's id).
    case subsidiaries(of: String)
    /// Some units anywhere: read all, decide each.
    case decidedPerRow
    /// No unit at all.
    case nothing
}

extension AccessPolicy {
    public static func listReach(_ subject: Subject, _ action: AccessAction) -> ListReach {
        let matching = rules.filter { $0.role == subject.role && $0.actions.contains(action) }
        guard let first = matching.first else { return .nothing }
        // An `anyUnit` row reaches every target, so when it comes first it decides every row.
        if first.reach == .anyUnit, first.channels == all, first.outcome == .allow { return .everything }
        if let province = province(confining: subject, action) { return .province(province) }
        let allowing = matching.filter { $0.outcome == .allow }
        if !allowing.isEmpty, allowing.allSatisfy({ $0.reach == .ownSubsidiaries }), let unit = subject.unitID {
            return .subsidiaries(of: unit)
        }
        return allowing.isEmpty ? .nothing : .decidedPerRow
    }
}
