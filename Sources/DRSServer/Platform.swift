import DRSCatalog
import DRSCore
import DRSDisclosure
import DRSStorage
import Fluent
import Foundation
import Vapor

/// What the running platform knows: the compiled catalog, the survey year on the filers' pages,
/// the write gate (SQLite) and the clock.
final class Platform: Sendable {
    let catalog: CompiledCatalog
    let surveyYear: Int
    let gate: WriteGate?
    let today: @Sendable () -> Date
    /// Disclosure control of what leaves the office (`protect=1`): from the server's configuration,
    /// never from a request, so no caller can weaken it or learn its parameters.
    let release: ReleaseProtection
    /// SQLite file: the single writer of draft saves, opened after migrations.
    nonisolated(unsafe) var writer: SQLiteWriter?

    init(catalog: CompiledCatalog, surveyYear: Int, gate: WriteGate?, today: @escaping @Sendable () -> Date = { Date() },
         safetyRules: SafetyRules = .standard) {
        self.catalog = catalog
        self.release = ReleaseProtection(rules: safetyRules)
        self.surveyYear = surveyYear
        self.gate = gate
        self.today = today
    }

    /// Whether one of the unit's respondent types files the form (survey.json).
    func files(_ unit: SurveyUnit, _ formID: String) -> Bool {
        unit.typeList.contains { catalog.catalog.survey.respondentType($0)?.forms.contains(formID) == true }
    }

    /// The forms a unit files for a year, in catalog order.
    func forms(for unit: SurveyUnit) -> [CompiledForm] {
        catalog.orderedForms.filter { files(unit, $0.form.id) }
    }

    /// 次年3月10日: the deadline of a data year.
    func deadline(for year: Int) -> Date {
        let d = catalog.catalog.survey.deadline
        var components = DateComponents()
        components.year = year + 1
        components.month = d.monthOfFollowingYear
        components.day = d.day
        components.hour = 23
        components.minute = 59
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar.date(from: components)!
    }

    /// The data year being collected on a date: the year before, until its 3月10日 deadline has
    /// passed; then the current year. Kept within the catalog edition's years.
    static func currentSurveyYear(_ survey: Survey, today: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let now = calendar.dateComponents([.year, .month, .day], from: today)
        let (y, m, d) = (now.year!, now.month!, now.day!)
        let beforeDeadline = (m, d) <= (survey.deadline.monthOfFollowingYear, survey.deadline.day)
        let year = beforeDeadline ? y - 1 : y
        return min(max(year, survey.reportingYears.from), survey.reportingYears.to)
    }

    /// Calendar days from today to the deadline, in Beijing time (0 on the day itself, negative after).
    func daysLeft(for year: Int) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let from = calendar.startOfDay(for: today()), to = calendar.startOfDay(for: deadline(for: year))
        return calendar.dateComponents([.day], from: from, to: to).day ?? 0
    }

    func profile(of unit: SurveyUnit) -> UnitProfile {
        UnitProfile(telecomOperator: unit.telecomOperator, stateOwned: unit.stateOwned, internetPlatform: unit.internetPlatform)
    }

    func store(_ db: any Database) -> SubmissionStore { SubmissionStore(database: db, gate: gate, writer: writer) }
}

struct PlatformKey: StorageKey { typealias Value = Platform }

extension Application {
    var platform: Platform {
        get { storage[PlatformKey.self]! }
        set { storage[PlatformKey.self] = newValue }
    }
}

extension Request {
    var platform: Platform { application.platform }
}
