import DRSAPI
import DRSCore
import Foundation

// A review queue's page written straight into the API's JSON tree, as a save's answer is
// (`ReportJSON.swift`): through the generated types, `JSONEncoder`, the re-parse and `RequiredNulls`
// (`APIBodyEncoding.json`) a page of 50 cost a sixth of the request's CPU (docs/benchmarks.md (al)).
// The tree is the same tree, member for member and in the document's order: `QueueJSONTests` holds it
// to `APIBodyEncoding.json` of the generated type over items of every shape, and the API's contract
// tests read the live answers against openapi.json.

extension ReviewQueue {
    /// The document's `ReviewQueue`: `unchecked` only for a flagged queue.
    static func json(items: [Item], window: PageWindow, unchecked: Int?) throws -> JSONValue {
        var members: [(String, JSONValue)] = [("items", .array(try items.map { try $0.json })), ("total", .int(window.total)),
                                              ("page", .int(window.page)), ("pageSize", .int(window.size)), ("pages", .int(window.pages))]
        if let unchecked { members.append(("unchecked", .int(unchecked))) }
        return .object(members)
    }
}

extension ReviewQueue.Item {
    /// The document's `ReviewQueueItem`, as `body` encodes: `returnReason` null when not returned,
    /// `unknownCells` only when there are some.
    var json: JSONValue {
        get throws {
            let unitMembers: [(String, JSONValue)] = [
                ("id", .string(unitID.uuidString)), ("name", .string(unit.name)), ("creditCode", .string(unit.creditCode)),
                ("region", .string(unit.regionCode)), ("types", .array(unit.typeList.map(JSONValue.string))),
            ]
            var members: [(String, JSONValue)] = [
                ("unit", .object(unitMembers)), ("form", .string(submission.formID)), ("tableNumber", .string(tableNumber)),
                ("title", .string(formTitle)), ("year", .int(submission.year)),
                ("status", .string(try APIEnum.convert(submission.status, to: Components.Schemas.SubmissionStatus.self).rawValue)),
                ("statusName", .string(submission.status.chineseName)), ("version", .int(submission.version)),
                ("errors", .int(errors)), ("warnings", .int(warnings)), ("unexplained", .int(unexplained)),
                ("returnReason", submission.returnReason.map(JSONValue.string) ?? .null), ("url", .string(url)),
            ]
            if !unknownCells.isEmpty { members.append(("unknownCells", .array(unknownCells.map(JSONValue.string)))) }
            return .object(members)
        }
    }
}
