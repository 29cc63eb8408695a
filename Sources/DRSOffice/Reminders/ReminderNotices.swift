import DRSStorage
import FluentKit
import Foundation

/// The reminders a unit's filers see on their home page until one of them acknowledges them.
public enum ReminderNotices {
    /// The unit's reminders not yet acknowledged, newest first.
    public static func unread(unitID: UUID, on db: any Database) async throws -> [Reminder] {
        try await Reminder.query(on: db).filter(\.$unit.$id == unitID).filter(\.$readAt == nil).sort(\.$sentAt, .descending).all()
    }

    /// Marks a reminder of the unit as seen by `username`; false when the unit has no such reminder.
    public static func acknowledge(_ id: UUID, unitID: UUID, by username: String, at date: Date = Date(), gate: WriteGate?,
                                   on db: any Database) async throws -> Bool {
        guard let reminder = try await Reminder.find(id, on: db), reminder.$unit.id == unitID else { return false }
        guard reminder.readAt == nil else { return true }
        reminder.readAt = date
        reminder.readBy = username
        try await gate.run { try await reminder.save(on: db) }
        return true
    }
}
