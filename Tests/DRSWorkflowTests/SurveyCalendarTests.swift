import DRSWorkflow
import Foundation
import Testing

/// The survey's calendar in whole days, and the day arithmetic under it.
@Suite("Survey calendar")
struct SurveyCalendarTests {
    let calendar = SurveyCalendar(deadlineMonth: 3, deadlineDay: 10, firstYear: 2025, lastYear: 2027)

    @Test func daysCountFromNineteenSeventy() {
        #expect(CivilDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(CivilDate(year: 2000, month: 3, day: 1).daysSinceEpoch == 11_017)
        #expect(CivilDate(year: 1969, month: 12, day: 31).daysSinceEpoch == -1)
        #expect(CivilDate(daysSinceEpoch: 20_779) == CivilDate(year: 2026, month: 11, day: 22))
        #expect(CivilDate(daysSinceEpoch: -719_468) == CivilDate(year: 0, month: 3, day: 1))
    }

    @Test func leapYearsFollowTheGregorianRule() {
        #expect(CivilDate(year: 2024, month: 2, day: 28).days(until: CivilDate(year: 2024, month: 3, day: 1)) == 2)
        #expect(CivilDate(year: 2027, month: 2, day: 28).days(until: CivilDate(year: 2027, month: 3, day: 1)) == 1)
        #expect(CivilDate(year: 1900, month: 2, day: 28).days(until: CivilDate(year: 1900, month: 3, day: 1)) == 1)
        #expect(CivilDate(year: 2000, month: 2, day: 28).days(until: CivilDate(year: 2000, month: 3, day: 1)) == 2)
    }

    @Test func dayNumbersAndDatesAgreeBothWays() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let date = CivilDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect((1...12).contains(date.month) && (1...31).contains(date.day))
        }
    }

    @Test func theSameDaysAsFoundationsGregorianCalendar() throws {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = try #require(TimeZone(identifier: "UTC"))
        for days in stride(from: -20_000, through: 40_000, by: 373) {
            let parts = gregorian.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            #expect(CivilDate(daysSinceEpoch: days) == CivilDate(year: try #require(parts.year), month: try #require(parts.month), day: try #require(parts.day)))
        }
    }

    @Test func hostileDatesDoNotTrap() {
        _ = CivilDate(year: .max, month: .min, day: .max).daysSinceEpoch
        _ = CivilDate(daysSinceEpoch: .min)
        _ = calendar.deadline(ofDataYear: .max)
        _ = calendar.surveyYear(on: CivilDate(year: .min, month: 1, day: 1))
        _ = calendar.daysLeft(forDataYear: .min, on: CivilDate(year: .max, month: 12, day: 31))
    }

    @Test func theDeadlineIsTheTenthOfMarchAfter() {
        #expect(calendar.deadline(ofDataYear: 2026) == CivilDate(year: 2027, month: 3, day: 10))
        #expect(calendar.deadline(ofDataYear: 2026).description == "2027-03-10")
        #expect(CivilDate(year: 987, month: 1, day: 5).description == "0987-01-05")
    }

    @Test func theSurveyYearTurnsTheDayAfterTheDeadline() {
        #expect(calendar.surveyYear(on: CivilDate(year: 2026, month: 11, day: 22)) == 2026)
        #expect(calendar.surveyYear(on: CivilDate(year: 2027, month: 3, day: 10)) == 2026)
        #expect(calendar.surveyYear(on: CivilDate(year: 2027, month: 3, day: 11)) == 2027)
        // Kept within the edition's years.
        #expect(calendar.surveyYear(on: CivilDate(year: 2020, month: 6, day: 1)) == 2025)
        #expect(calendar.surveyYear(on: CivilDate(year: 2031, month: 6, day: 1)) == 2027)
    }

    @Test func daysLeftAndOverdue() {
        // The test platform's day: 108 days to 2027-03-10 (FillingJourneyTests sees the same).
        let today = CivilDate(year: 2026, month: 11, day: 22)
        #expect(calendar.daysLeft(forDataYear: 2026, on: today) == 108)
        #expect(calendar.daysLeft(forDataYear: 2026, on: CivilDate(year: 2027, month: 3, day: 10)) == 0)
        #expect(!calendar.isOverdue(dataYear: 2026, on: CivilDate(year: 2027, month: 3, day: 10)))
        #expect(calendar.daysLeft(forDataYear: 2026, on: CivilDate(year: 2027, month: 3, day: 11)) == -1)
        #expect(calendar.isOverdue(dataYear: 2026, on: CivilDate(year: 2027, month: 3, day: 11)))
    }

    @Test func theCatalogGivesTheCalendar() throws {
        let survey = try WorkflowCatalog.catalog().survey
        #expect(SurveyCalendar(survey) == calendar)
    }
}
