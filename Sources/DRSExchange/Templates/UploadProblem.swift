import DRSCore

/// Why an uploaded template or CSV file cannot be used, with where: a sheet and cell of a workbook
/// (`Sheet 企业2表 单元格 F14：「12,3a」不是数字`) or a line of a CSV file (`第12行：…`).
public struct UploadProblem: Sendable, Equatable, CustomStringConvertible {
    /// The worksheet, for workbooks.
    public var sheet: String?
    /// The cell (`F14`) or merged range (`F14:G15`), for workbooks.
    public var cell: String?
    /// The 1-based line, for CSV files.
    public var line: Int?
    /// A stable machine-readable code: `not_a_template`, `wrong_form`, `formula`, `not_a_number`, …
    public var code: String
    /// The reason, in Chinese, without the place.
    public var message: String
    /// What the place holds in the survey's terms, when known: `01 数据生产总量·本年实际`.
    public var subject: String?

    public init(sheet: String? = nil, cell: String? = nil, line: Int? = nil, code: String, message: String, subject: String? = nil) {
        self.sheet = sheet
        self.cell = cell
        self.line = line
        self.code = code
        self.message = message
        self.subject = subject
    }

    /// The place and the reason: `Sheet 企业2表 单元格 F14：…`, `Sheet 企业2表：…`, `第12行：…`.
    public var description: String { place.map { "\($0)：\(message)" } ?? message }

    /// `Sheet 企业2表 单元格 F14`, `第12行`, or nil for the file as a whole.
    public var place: String? {
        if let line { return "第\(line)行" }
        switch (sheet, cell) {
        case let (sheet?, cell?): return "Sheet \(sheet) 单元格 \(cell)"
        case let (sheet?, nil): return "Sheet \(sheet)"
        case let (nil, cell?): return "单元格 \(cell)"
        case (nil, nil): return nil
        }
    }

    /// The problem in the shape `drs validate` and the API report unusable files (`path`, `code`, `message`):
    /// the path is `企业2表!F14`, `第12行` or `(文件)`.
    public var inputProblem: InputProblem {
        let path: String
        if let line { path = "第\(line)行" } else if let sheet, let cell { path = "\(sheet)!\(cell)" } else { path = sheet ?? "(文件)" }
        return InputProblem(path: path, code: code, message: message)
    }
}

/// What reading an upload gives: a submission when the file is usable (no problem at all), otherwise
/// every problem found. Rule checks are not part of it: the caller runs the engine on the submission.
public struct UploadResult: Sendable {
    /// The figures and answers, exactly as typed (decimal text, never a Double); nil when unusable.
    public var submission: SubmissionDocument?
    /// The problems listed: at most `UploadLimits.maximumProblemsListed`, the first ones in the file.
    public var problems: [UploadProblem]
    /// Every problem found, listed or not.
    public var problemCount: Int
    /// What the template's markers say (form, edition, year, unit), when they could be read.
    public var template: TemplateInfo?

    public init(submission: SubmissionDocument?, problems: [UploadProblem], template: TemplateInfo? = nil, problemCount: Int? = nil) {
        self.submission = submission
        self.problems = Array(problems.prefix(UploadLimits.maximumProblemsListed))
        self.problemCount = max(problemCount ?? problems.count, self.problems.count)
        self.template = template
    }

    /// "共 N 处问题，仅列出前 100 处" when not every problem is listed.
    public var truncationNote: String? { UploadLimits.truncationNote(total: problemCount) }

    public var isUsable: Bool { submission != nil && problems.isEmpty }

    static func failed(_ problems: [UploadProblem], template: TemplateInfo? = nil) -> UploadResult {
        UploadResult(submission: nil, problems: problems, template: template)
    }

    static func failed(_ list: ProblemList) -> UploadResult {
        UploadResult(submission: nil, problems: list.kept, problemCount: list.total)
    }
}

/// The identity of a downloaded template, as written in its `_drs` markers sheet.
public struct TemplateInfo: Sendable, Equatable {
    public var formatVersion: Int
    public var formID: String
    public var edition: String
    /// Fingerprint of the layout (every marker line but its label), 16 hex digits.
    public var layout: String
    public var year: Int?
    public var creditCode: String?
    /// The visible sheet of the form.
    public var sheet: String

    public init(formatVersion: Int, formID: String, edition: String, layout: String, year: Int?, creditCode: String?, sheet: String) {
        self.formatVersion = formatVersion
        self.formID = formID
        self.edition = edition
        self.layout = layout
        self.year = year
        self.creditCode = creditCode
        self.sheet = sheet
    }
}
