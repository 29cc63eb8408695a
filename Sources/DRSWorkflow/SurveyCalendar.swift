import DRSCore

/// The survey's calendar (一、总说明): a data year is reported by a day of the following year
/// (次年3月10日, `survey.json` `deadline`); until that day has passed, the survey being collected is
/// last year's. All in whole days of Beijing time: the server turns its clock into a `CivilDate`.
public struct SurveyCalendar: Sendable, Equatable {
    /// The deadline's month and day, in the year after the data year.
    public var deadlineMonth: Int
    public var deadlineDay: Int
    /// The data years the catalog edition covers (`reportingYears`).
    public var firstYear: Int
    public var lastYear: Int

    public init(deadlineMonth: Int, deadlineDay: Int, firstYear: Int, lastYear: Int) {
        self.deadlineMonth = deadlineMonth
        self.deadlineDay = deadlineDay
        self.firstYear = firstYear
        self.lastYear = lastYear
    }

    /// The calendar of a catalog edition.
    public init(_ survey: Survey) {
        self.init(deadlineMonth: survey.deadline.monthOfFollowingYear, deadlineDay: survey.deadline.day,
                  firstYear: survey.reportingYears.from, lastYear: survey.reportingYears.to)
    }

    /// The last day to report a data year: 2026 → 2027-03-10.
    public func deadline(ofDataYear year: Int) -> CivilDate {
        CivilDate(year: min(year, CivilDate.yearBound) + 1, month: deadlineMonth, day: deadlineDay)
    }

    /// The data year being collected on a day: the year before, up to and including its deadline;
    /// from the next day the current year. Kept within the edition's years.
    public func surveyYear(on today: CivilDate) -> Int {
        let beforeDeadline = (today.month, today.day) <= (deadlineMonth, deadlineDay)
        let year = min(max(today.year, -CivilDate.yearBound), CivilDate.yearBound) - (beforeDeadline ? 1 : 0)
        return min(max(year, firstYear), lastYear)
    }

    /// Days from `today` to the deadline of a data year: 0 on the day itself, negative after it.
    public func daysLeft(forDataYear year: Int, on today: CivilDate) -> Int {
        today.days(until: deadline(ofDataYear: year))
    }

    /// The deadline of a data year has passed (the day after it, in Beijing).
    public func isOverdue(dataYear year: Int, on today: CivilDate) -> Bool {
        daysLeft(forDataYear: year, on: today) < 0
    }
}
