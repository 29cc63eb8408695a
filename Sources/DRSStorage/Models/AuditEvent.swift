import FluentKit
import Foundation

/// One line of the audit trail: a changed value, a status change, a login, an administrative act.
public final class AuditEvent: Model, @unchecked Sendable {
    public static let schema = "audit_events"

    public enum Kind: String, Codable, Sendable {
        case login, loginFailed, logout, passwordChanged, valueChanged, statusChanged, unitChanged, userChanged
        /// An output left the national office: its destination, the rules' fingerprint (docs/disclosure-control.md).
        case released
        /// A reminder (催报) sent to a unit that has not reported by the deadline: forms, deadline, channel.
        case reminderSent
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "at") public var at: Date
    @OptionalField(key: "user_id") public var userID: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "address") public var address: String
    @Field(key: "kind") public var kind: Kind
    @OptionalField(key: "submission_id") public var submissionID: UUID?
    @OptionalField(key: "unit_id") public var unitID: UUID?
    /// For a value: the cell (`01:cum`, `Q05.day`); for a status change: `status`.
    @OptionalField(key: "cell") public var cell: String?
    @OptionalField(key: "old_value") public var oldValue: String?
    @OptionalField(key: "new_value") public var newValue: String?
    @Field(key: "detail") public var detail: String

    public init() {}

    public init(at: Date = Date(), userID: UUID?, username: String, address: String, kind: Kind, submissionID: UUID? = nil,
                unitID: UUID? = nil, cell: String? = nil, oldValue: String? = nil, newValue: String? = nil, detail: String = "") {
        self.at = at
        self.userID = userID
        self.username = username
        self.address = address
        self.kind = kind
        self.submissionID = submissionID
        self.unitID = unitID
        self.cell = cell
        self.oldValue = oldValue
        self.newValue = newValue
        self.detail = detail
    }
}
