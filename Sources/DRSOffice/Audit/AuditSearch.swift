import DRSStorage
import FluentKit
import Foundation

/// The audit log as the national office searches it: by unit (name or credit code), user, time and
/// kind, newest first, a page at a time; and the same selection as CSV for Excel.
public enum AuditSearch {
    /// What to look for; nil or empty means "any".
    public struct Filter: Sendable, Equatable {
        /// Part of a unit's name, or its credit code.
        public var unit: String?
        /// Part of a user name.
        public var username: String?
        /// From the start of this moment, up to (not including) `until`.
        public var since: Date?
        public var until: Date?
        public var kind: AuditEvent.Kind?

        public init(unit: String? = nil, username: String? = nil, since: Date? = nil, until: Date? = nil, kind: AuditEvent.Kind? = nil) {
            self.unit = unit.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            self.username = username.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            self.since = since
            self.until = until
            self.kind = kind
        }
    }

    /// One page of lines, with the units they name.
    public struct Page: Sendable {
        public var events: [AuditEvent]
        public var units: [UUID: SurveyUnit]
        public var hasMore: Bool
    }

    public static let pageSize = 100
    /// The last page a request may ask for (zero-based): a page number from a URL never overflows.
    public static let maximumPage = 1_000_000
    /// The most lines one CSV export carries (the page says so when a selection is larger).
    public static let exportLimit = 100_000

    /// Lines `page × pageSize …` of the selection, newest first.
    public static func page(_ filter: Filter, page: Int, on db: any Database) async throws -> Page {
        let start = min(max(0, page), maximumPage) * pageSize
        let events = try await lines(filter, offset: start, limit: pageSize + 1, on: db)
        let shown = Array(events.prefix(pageSize))
        return Page(events: shown, units: try await units(of: shown, on: db), hasMore: events.count > pageSize)
    }

    /// The selection, newest first, up to `limit` lines.
    public static func lines(_ filter: Filter, offset: Int = 0, limit: Int, on db: any Database) async throws -> [AuditEvent] {
        var query = AuditEvent.query(on: db).sort(\.$at, .descending).sort(\.$id, .descending)
        if let text = filter.unit {
            let code = text.uppercased()
            let matching = try await SurveyUnit.query(on: db).group(.or) {
                $0.filter(\.$creditCode == code).filter(\.$name, .contains(inverse: false, .anywhere), text)
            }.all().compactMap(\.id)
            if matching.isEmpty { return [] }
            query = query.filter(\.$unitID ~~ matching)
        }
        if let user = filter.username { query = query.filter(\.$username, .contains(inverse: false, .anywhere), user) }
        if let since = filter.since { query = query.filter(\.$at >= since) }
        if let until = filter.until { query = query.filter(\.$at < until) }
        if let kind = filter.kind { query = query.filter(\.$kind == kind) }
        return try await query.range(offset..<(offset + max(0, limit))).all()
    }

    /// The units the lines name.
    public static func units(of events: [AuditEvent], on db: any Database) async throws -> [UUID: SurveyUnit] {
        let ids = Array(Set(events.compactMap(\.unitID)))
        guard !ids.isEmpty else { return [:] }
        let found = try await SurveyUnit.query(on: db).filter(\.$id ~~ ids).all()
        return Dictionary(found.compactMap { u in u.id.map { ($0, u) } }, uniquingKeysWith: { a, _ in a })
    }

    /// The CSV's header row.
    public static let csvHead = ["时间（北京时间）", "类别", "用户", "地址", "调查单位", "统一社会信用代码", "单元格或项目", "原值", "新值", "说明"]

    /// RFC 4180 CSV with a UTF-8 byte-order mark (Excel), every field guarded against formulas
    /// (`TableExport.csvLine`). `kindName` gives the kind's Chinese label.
    public static func csv(_ events: [AuditEvent], units: [UUID: SurveyUnit], kindName: (AuditEvent.Kind) -> String) -> String {
        var text = "\u{FEFF}" + TableExport.csvLine(csvHead)
        for e in events {
            let unit = e.unitID.flatMap { units[$0] }
            text += TableExport.csvLine([beijingTime(e.at), kindName(e.kind), e.username, e.address, unit?.name ?? "", unit?.creditCode ?? "",
                                         e.cell ?? "", e.oldValue ?? "", e.newValue ?? "", e.detail])
        }
        return text
    }

    /// `2026-12-04 10:19:24`, Beijing time.
    public static func beijingTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = beijing
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// The start of a Beijing day given as `yyyy-MM-dd`; nil for anything else.
    public static func beijingDayStart(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = beijing
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }

    static let beijing = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt
}
