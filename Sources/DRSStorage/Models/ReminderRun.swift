import FluentKit
import Foundation

/// One confirmed 催报 send, named by the confirmation page that asked for it. Claimed before anything
/// is sent, so the same confirmation sent twice (a double click, a send repeated after the proxy gave
/// up waiting) reminds the units once: the second claim meets the first's key. The run's sender,
/// deadline, lease and units are read and written by `ReminderRunStore` (migration `QueueReminderRuns`).
public final class ReminderRun: Model, @unchecked Sendable {
    public static let schema = "reminder_runs"

    @ID(key: .id) public var id: UUID?
    @Field(key: "year") public var year: Int
    @Field(key: "started_at") public var startedAt: Date
    /// The sender's user name.
    @Field(key: "sent_by") public var sentBy: String

    public init() {}

    public init(id: UUID, year: Int, startedAt: Date = Date(), sentBy: String) {
        self.id = id
        self.year = year
        self.startedAt = startedAt
        self.sentBy = sentBy
    }
}
