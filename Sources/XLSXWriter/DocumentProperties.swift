/// `docProps/core.xml` and `docProps/app.xml`. The library reads no clock: the creation time is given.
public struct DocumentProperties: Sendable, Hashable {
    public var title: String
    public var subject: String
    public var creator: String
    public var description: String
    public var keywords: String
    /// `docProps/app.xml` `<Application>`.
    public var application: String
    /// ISO 8601 with seconds and a zone: `2026-03-31T08:00:00Z`, `2026-03-31T16:00:00+08:00` (fractions
    /// of a second allowed, year from 1900). Written to `core.xml` in UTC (`2026-03-31T08:00:00Z`); the
    /// ZIP entries' dates take its own wall-clock fields.
    public var created: String

    public static let defaultCreator = "数据资源调查平台"

    public init(title: String = "", subject: String = "", creator: String = DocumentProperties.defaultCreator,
                description: String = "", keywords: String = "", application: String = DocumentProperties.defaultCreator,
                created: String) {
        self.title = title
        self.subject = subject
        self.creator = creator
        self.description = description
        self.keywords = keywords
        self.application = application
        self.created = created
    }
}

/// The fields of a `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)` timestamp.
struct ISO8601Timestamp: Sendable, Hashable {
    var year, month, day, hour, minute, second: Int
    /// The zone's offset from UTC in minutes (`+08:00` → 480).
    var offsetMinutes: Int

    init?(_ text: String) {
        let b = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for k in from..<(from + count) {
                guard b[k] >= 0x30 && b[k] <= 0x39 else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            return v
        }
        func at(_ i: Int, _ c: Character) -> Bool { i < b.count && b[i] == c.asciiValue! }
        guard let year = digits(0, 4), at(4, "-"), let month = digits(5, 2), at(7, "-"), let day = digits(8, 2),
              at(10, "T"), let hour = digits(11, 2), at(13, ":"), let minute = digits(14, 2), at(16, ":"),
              let second = digits(17, 2)
        else { return nil }
        var i = 19
        if at(i, ".") {
            i += 1
            let start = i
            while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        if at(i, "Z") {
            i += 1
        } else if at(i, "+") || at(i, "-") {
            guard let zoneHour = digits(i + 1, 2), at(i + 3, ":"), let zoneMinute = digits(i + 4, 2),
                  zoneHour <= 14, zoneMinute <= 59 else { return nil }
            offset = (at(i, "-") ? -1 : 1) * (zoneHour * 60 + zoneMinute)
            i += 6
        } else {
            return nil
        }
        guard i == b.count, year >= 1900, (1...12).contains(month), day >= 1, day <= Self.daysIn(month, year),
              hour <= 23, minute <= 59, second <= 59
        else { return nil }
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
        offsetMinutes = offset
    }

    /// The same instant in UTC, whole seconds: `2026-03-31T08:05:30Z` (the form every reader of
    /// `docProps/core.xml` accepts).
    var utc: String {
        let minutes = (Self.daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes
        let minuteOfDay = ((minutes % 1440) + 1440) % 1440
        let (y, m, d) = Self.civilFromDays((minutes - minuteOfDay) / 1440)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(y)-\(two(m))-\(two(d))T\(two(minuteOfDay / 60)):\(two(minuteOfDay % 60)):\(two(second))Z"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
