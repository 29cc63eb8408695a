/// A day on the calendar as people in Beijing name it (year, month, day), with no time and no time
/// zone: the survey's dates (the 3月10日 deadline, today on a filer's page) are days, and the server
/// turns its clock into one in Beijing time. Arithmetic is on day numbers, so it needs no calendar
/// library.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    /// 1–12.
    public var month: Int
    /// 1–31; a day past the end of its month counts on into the next (2月30日 is 3月1日 or 2日), as
    /// days are counted by `daysSinceEpoch`.
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day that is `days` after 1970-01-01 (negative: before).
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days, in the proleptic Gregorian calendar. The bound keeps every
        // product far inside Int (about ±1.1 million years), so nothing can overflow.
        let z = min(max(days, -Self.dayBound), Self.dayBound) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097                                                   // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365  // 0...399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)    // 0...365, from 1 March
        let shiftedMonth = (5 * dayOfYear + 2) / 153                                       // 0...11, March = 0
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
    }

    /// Days from 1970-01-01 to this day (negative before it).
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil. Out-of-range parts are bounded first (see `dayBound`).
        let m = min(max(month, 1), 12)
        let y = min(max(year, -Self.yearBound), Self.yearBound) - (m <= 2 ? 1 : 0)
        let d = min(max(day, -Self.yearBound), Self.yearBound)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400                                        // 0...399
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1      // from 1 March
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    public func days(until other: CivilDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// `2027-03-10`: how the API and the pages write a date.
    public var description: String {
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n.magnitude)
            return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    static let yearBound = 1_000_000
    static let dayBound = 400_000_000
}
