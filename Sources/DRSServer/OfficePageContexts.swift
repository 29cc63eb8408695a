import Foundation

/// What the national office's tool pages receive (accounts, audit log, reminders): computed in
/// Swift, so the templates only loop and print.
struct UsersPage: Encodable {
    var layout: Layout
    /// One page of accounts (`AccountPages.listed`), the count the search leaves, the neighbours' links.
    var accounts: [Account]
    var total: Int
    var page: Int
    var previous: String?
    var next: String?
    /// The search: part of a username or name.
    var query: String
    var searching: Bool
    var message: String?
    var error: String?
    /// A temporary password just set, shown once.
    var temporary: Temporary?
    var roles: [UnitsPage.Choice]
    var provinces: [UnitsPage.Choice]
    var units: [UnitsPage.Choice]

    struct Account: Encodable {
        var id: String
        var username: String
        var displayName: String
        var role: String
        var roleName: String
        var binding: String
        var disabled: Bool
        var mustChangePassword: Bool
        var isSelf: Bool
        var unitCreditCode: String
        var regionCode: String
    }

    struct Temporary: Encodable { var username: String; var password: String }
}

struct AuditPage: Encodable {
    var layout: Layout
    var filter: Filter
    var kinds: [UnitsPage.Choice]
    var events: [Event]
    var page: Int
    var firstShown: Int
    var previousURL: String?
    var nextURL: String?
    var csvURL: String
    var error: String?
    var exportLimit: Int

    struct Filter: Encodable { var unit: String; var user: String; var from: String; var to: String; var kind: String }
    struct Event: Encodable {
        var at: String
        var kind: String
        var kindName: String
        var username: String
        var address: String
        var unit: String
        var creditCode: String
        var cell: String
        var change: String
        var detail: String
    }
}

struct ReminderPage: Encodable {
    /// The confirmation's own id, sent with it (`ReminderRun`).
    var run: String
    var layout: Layout
    var year: Int
    var deadline: String
    var pastDeadline: Bool
    /// "逾期催报" or "未报催报": whom the reminders go to.
    var mode: String
    /// How the e-mails leave (SMTP server, outbox folder).
    var delivery: String
    /// The first units (`Application.reminderListLimit`).
    var units: [Unit]
    var hasUnits: Bool
    /// All the units chosen (or reminded), and how many of them the list leaves out.
    var total: Int
    var unlisted: Int
    /// 全部催报: the send asks for every owing unit again; otherwise it names `chosen`.
    var all: Bool
    var chosen: [String]
    /// After sending: the counts by channel.
    var summary: String
    /// After sending: what happened per unit.
    var sent: Bool
    /// While the run is being sent (`ReminderRunner`): how many of its units are done.
    var running: Running?
    var error: String?

    struct Running: Encodable {
        var done: Int
        var of: Int
    }

    struct Unit: Encodable {
        var id: String
        var name: String
        var creditCode: String
        var forms: String
        var email: String
        var outcome: String
        var problem: String
    }
}

/// A reminder shown on the unit's home page until a filer acknowledges it.
struct ReminderNoticeView: Encodable {
    var id: String
    var sentAt: String
    var year: Int
    var forms: String
    var deadline: String
}
