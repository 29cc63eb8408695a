import FluentKit
import Foundation

/// A reminder (催报) sent to a unit that has not reported: what it owes, by when, how it was delivered,
/// and whether one of its filers has seen it.
public final class Reminder: Model, @unchecked Sendable {
    public static let schema = "reminders"

    /// How the e-mail left: through the configured SMTP server, as a file in the outbox, or not at all
    /// (the unit has no e-mail address: the notice on its home page is the reminder).
    public enum Channel: String, Codable, Sendable {
        case smtp, outbox, notice

        public var chineseName: String {
            switch self {
            case .smtp: "邮件（SMTP）"
            case .outbox: "邮件（发件箱文件）"
            case .notice: "仅站内提醒（无联系邮箱）"
            }
        }
    }

    @ID(key: .id) public var id: UUID?
    @Parent(key: "unit_id") public var unit: SurveyUnit
    @Field(key: "year") public var year: Int
    /// The forms still owed, as table numbers (`公共1表、公共2表`).
    @Field(key: "forms") public var forms: String
    /// The deadline as shown (`2027年3月10日`).
    @Field(key: "deadline") public var deadline: String
    @Field(key: "sent_at") public var sentAt: Date
    /// The sender's user name.
    @Field(key: "sent_by") public var sentBy: String
    @Field(key: "channel") public var channel: Channel
    /// The e-mail address written to, when there was one.
    @OptionalField(key: "recipient") public var recipient: String?
    /// When a filer of the unit acknowledged it (then it is no longer shown).
    @OptionalField(key: "read_at") public var readAt: Date?
    @OptionalField(key: "read_by") public var readBy: String?

    public init() {}

    public init(id: UUID? = nil, unitID: UUID, year: Int, forms: String, deadline: String, sentAt: Date = Date(), sentBy: String,
                channel: Channel, recipient: String?) {
        self.id = id
        self.$unit.id = unitID
        self.year = year
        self.forms = forms
        self.deadline = deadline
        self.sentAt = sentAt
        self.sentBy = sentBy
        self.channel = channel
        self.recipient = recipient
    }
}
