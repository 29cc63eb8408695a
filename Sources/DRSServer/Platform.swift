import DRSCatalog
import DRSCore
import DRSDisclosure
import DRSStorage
import DRSWorkflow
import Fluent
import DRSOffice
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
    /// The catalog and program that stored check results were computed with (`CheckStamp.engine`).
    let checkEngine: String
    /// Check results of this instance's writes, stored within a second (`CheckOutbox`).
    let checkOutbox = CheckOutbox()
    /// 核查清单, kept stored and current (`FollowUpKeeper`).
    let followUps: FollowUpKeeper
    /// SQLite file: the single writer of draft saves, opened after migrations.
    nonisolated(unsafe) var writer: SQLiteWriter?

    init(catalog: CompiledCatalog, surveyYear: Int, gate: WriteGate?, today: @escaping @Sendable () -> Date = { Date() },
         safetyRules: SafetyRules = .standard, checkEngine: String = "", followUpInlineLimit: Duration = .seconds(1)) {
        self.catalog = catalog
        self.checkEngine = checkEngine
        self.followUps = FollowUpKeeper(engine: checkEngine, inlineLimit: followUpInlineLimit)
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

    /// The form the aggregation and follow-up pages open on when none is asked for (`FormDefaults`).
    var defaultNumericForm: String? { FormDefaults.firstNumericForm(in: catalog.catalog) }

    /// Which units consolidate which forms, from the catalog edition.
    var consolidation: ConsolidationRules { ConsolidationRules(catalog.catalog.survey) }

    /// The survey's calendar (deadline, current year, days left), from the catalog edition.
    var calendar: SurveyCalendar { SurveyCalendar(catalog.catalog.survey) }

    /// 次年3月10日: the deadline of a data year.
    func deadline(for year: Int) -> CivilDate { calendar.deadline(ofDataYear: year) }

    /// The data year being collected on a date (`SurveyCalendar.surveyYear(on:)`), in Beijing time.
    static func currentSurveyYear(_ survey: Survey, today: Date) -> Int {
        SurveyCalendar(survey).surveyYear(on: beijingDate(today))
    }

    /// Calendar days from today to the deadline, in Beijing time (0 on the day itself, negative after).
    func daysLeft(for year: Int) -> Int { calendar.daysLeft(forDataYear: year, on: Self.beijingDate(today())) }

    /// The deadline of a data year has passed, in Beijing time.
    func isOverdue(_ year: Int) -> Bool { calendar.isOverdue(dataYear: year, on: Self.beijingDate(today())) }

    /// The survey's days are Beijing's. China has kept one offset (UTC+8, no daylight saving) since
    /// 1991, so the fixed offset stands in should the system lack the zone database.
    static let beijing: TimeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    /// The day a moment falls on in Beijing.
    static func beijingDate(_ date: Date) -> CivilDate {
        let seconds = date.timeIntervalSince1970 + Double(beijing.secondsFromGMT(for: date))
        // A Date is far inside Int's range of days; a non-finite one would have no day at all.
        return CivilDate(daysSinceEpoch: Int(exactly: (seconds / 86_400).rounded(.down)) ?? 0)
    }

    func profile(of unit: SurveyUnit) -> UnitProfile {
        UnitProfile(telecomOperator: unit.telecomOperator, stateOwned: unit.stateOwned, internetPlatform: unit.internetPlatform)
    }

    /// The unit's flags and, when the form asks some rows by an answer of another form (企业1表 Q10 for
    /// 企业5表's AI-product rows), the unit's answers this year, from its draft or submission, through
    /// the instance's cache (two saves in three at the deadline ask them).
    func profile(of unit: SurveyUnit, year: Int, form: CompiledForm, on db: any Database, cache: ReadCache) async throws -> UnitProfile {
        var profile = profile(of: unit)
        let forms = form.conditionForms
        guard !forms.isEmpty, let unitID = unit.id else { return profile }
        let answersByForm = try await cache.answers(unit: unitID, year: year, forms: forms.sorted()) { missing in
            var parsed: [String: [String: JSONValue]] = [:]
            for (formID, text) in try await store(db).answers(unitID: unitID, year: year, forms: missing) {
                parsed[formID] = JSONValue.answerMap(text)
            }
            return parsed
        }
        profile.answers = form.conditionAnswers(from: answersByForm)
        return profile
    }

    func store(_ db: any Database) -> SubmissionStore { SubmissionStore(database: db, gate: gate, writer: writer) }
}

extension JSONValue {
    /// A submission's stored answers by item (the first of a repeated key); nil when the text is not a
    /// JSON object.
    static func answerMap(_ stored: String) -> [String: JSONValue]? {
        (try? JSONValue.parse(stored))?.objectMembers.map { Dictionary($0, uniquingKeysWith: { first, _ in first }) }
    }
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
