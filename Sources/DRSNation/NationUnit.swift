import DRSCore

/// The status a generated submission is stored in (the raw values are storage's status names).
public enum NationStatus: String, Sendable, Equatable {
    case draft, submitted, verified
}

/// One unit of the synthetic registry.
public struct NationUnit: Sendable, Equatable {
    /// Position in `NationGenerator.units`; parents always come before their subsidiaries.
    public var index: Int
    /// A valid 统一社会信用代码 (check characters computed), unique within the nation.
    public var creditCode: String
    public var name: String
    /// GB/T 2260 province code.
    public var regionCode: String
    /// Respondent type ids of survey.json (a small nation combines related types in one unit).
    public var types: [String]
    public var stateOwned: Bool
    public var internetPlatform: Bool
    public var telecomOperator: Bool
    /// The headquarters (a central enterprise) of a subsidiary.
    public var parentIndex: Int?
    /// GB/T 4754-2017 industry code (division or class).
    public var industryCode: String
    /// Integer multiplier of the unit's extensive figures (Pareto-tailed: most units 1–10, a few thousands).
    public var sizeFactor: Int
    /// False for the units new this year: they have no figures for Y−1.
    public var existedLastYear: Bool
    /// Where this year's forms stand (last year's are all verified).
    public var status: NationStatus

    /// The flags that decide which conditional rows the unit fills.
    public var profile: UnitProfile {
        UnitProfile(telecomOperator: telecomOperator, stateOwned: stateOwned, internetPlatform: internetPlatform)
    }

    /// The flags as a submission file writes them.
    public var flags: [String] {
        [telecomOperator ? "telecomOperator" : nil, stateOwned ? "stateOwned" : nil, internetPlatform ? "internetPlatform" : nil]
            .compactMap { $0 }
    }
}

/// One generated submission: a form of a unit for one year.
public struct NationSubmission: Sendable, Equatable {
    public var unitIndex: Int
    public var formID: String
    public var year: Int
    public var values: CellValues
    public var status: NationStatus
    /// Answers of a basic-information form (empty for the numeric forms).
    public var answers: [String: JSONValue] = [:]

    /// The answers as storage keeps them: a JSON object, keys in order.
    public var storedAnswers: String {
        JSONValue.object(answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).serialized()
    }
}
