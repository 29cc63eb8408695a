import DRSAPI
import DRSCore
import DRSWorkflow
import Foundation
import Vapor

// The shared pieces of API bodies, built as the document's types (DRSAPI).

extension Violation {
    /// The rule result as the API answers it (`Violation`): optional fields only when they apply, and
    /// `explanation` (null when unfilled) exactly when `needsExplanation` is.
    var body: Components.Schemas.Violation {
        get throws {
            Components.Schemas.Violation(
                form: form, rule: expression, ruleId: ruleID, seed: seed,
                severity: try APIEnum.convert(severity), origin: try APIEnum.convert(origin),
                column: column, columnName: columnName, member: member, memberName: memberName,
                cells: cells.map { cell in
                    Components.Schemas.ViolationCell(code: cell.code, column: cell.column, member: cell.member, name: cell.name,
                                                     value: cell.value, lastYear: cell.lastYear ? true : nil)
                },
                message: message, needsExplanation: needsExplanation ? true : nil, explanation: needsExplanation ? explanation : nil)
        }
    }
}

extension CheckReport {
    /// The checks of one form as the API answers them (`Report`).
    var body: Components.Schemas.Report {
        get throws {
            Components.Schemas.Report(errors: try errors.map { try $0.body }, warnings: try warnings.map { try $0.body },
                                      notes: try notes.map { try $0.body }, missing: missing.map(\.body),
                                      blocksSubmission: blocksSubmission)
        }
    }
}

extension MissingCell {
    /// A blank required cell as the API answers it (`MissingCell`).
    var body: Components.Schemas.MissingCell {
        Components.Schemas.MissingCell(key: key, code: code, column: column, member: member, name: name,
                                       columnName: columnName, memberName: memberName, message: message)
    }
}

extension SubmissionStatus {
    /// The status, its Chinese name and the version after a step (`SubmitResult`).
    static func result(_ status: SubmissionStatus, version: Int) throws -> Components.Schemas.SubmitResult {
        Components.Schemas.SubmitResult(status: try APIEnum.convert(status), statusName: status.chineseName, version: version)
    }
}

extension APIBodyEncoding {
    /// A JSON tree we already build (figures as canonical decimal text, answers as stored) read as a
    /// generated type: the types decode exactly what the document allows, so a tree of another shape is
    /// our bug and answered as 500, never sent.
    static func decode<T: Decodable>(_ type: T.Type = T.self, from json: JSONValue) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(json.serializedBytes()))
        } catch {
            throw Abort(.internalServerError, reason: "not a \(T.self) of openapi.json: \(error)")
        }
    }
}

extension Components.Schemas._Error {
    /// The document's error body (`Error`): a stable code, a Chinese message, details (`{}` when none).
    init(code: String, message: String, details: JSONValue) throws {
        self.init(error: .init(code: code, message: message, details: try APIBodyEncoding.decode(from: details)))
    }
}
