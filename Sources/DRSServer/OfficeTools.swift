import DRSOffice
import DRSStorage
import Foundation
import Vapor

/// The national office's tools: accounts, the audit log, reminders (催报). Registered by `configure`.
enum OfficeTools {
    /// Reads the mail configuration (`DRS_SMTP_URL`, `DRS_SMTP_FROM`, `DRS_OUTBOX`) and registers the pages.
    static func register(_ app: Application, storage: StorageLocation) throws {
        app.mailDelivery = MailDelivery.configured(environment: ProcessInfo.processInfo.environment, storage: storage)
        try AccountPages().register(app)
        try AuditPages().register(app)
        try ReminderPages().register(app)
    }
}
