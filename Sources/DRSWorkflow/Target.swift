import DRSCore

/// What an action is about: a unit (and, for most actions, one of its forms), described by the
/// facts the decision needs — where the unit is, which group it belongs to, which channel the form
/// comes through, and the submission's status when it is known.
public struct Target: Sendable, Equatable {
    public var unitID: String
    /// The unit's region code (GB/T 2260); its first two digits are the province.
    public var region: String
    /// The headquarters unit of the group the unit belongs to (a central-enterprise subsidiary).
    public var groupID: String?
    /// The unit heads a group that consolidates forms (a central-enterprise headquarters): it
    /// reports to the national office, not through a province.
    public var headsGroup: Bool
    /// The channel of the form (for unit-level actions: of the unit's forms), from the catalog.
    public var channel: FilingChannel
    /// The submission's status; nil when not yet known (the store then checks the step itself).
    public var status: SubmissionStatus?

    public init(unitID: String, region: String, groupID: String? = nil, headsGroup: Bool = false,
                channel: FilingChannel = .regular, status: SubmissionStatus? = nil) {
        self.unitID = unitID
        self.region = region
        self.groupID = groupID
        self.headsGroup = headsGroup
        self.channel = channel
        self.status = status
    }

    /// The same target with a known status.
    public func with(status: SubmissionStatus?) -> Target {
        var copy = self
        copy.status = status
        return copy
    }
}

/// The former name of `SubmissionStatus` here, from when the stored status was mirrored.
public typealias FormStatus = SubmissionStatus

/// Two region codes are in the same province when their first two digits agree.
func sameProvince(_ a: String, _ b: String) -> Bool {
    a.count >= 2 && b.count >= 2 && a.prefix(2) == b.prefix(2)
}
