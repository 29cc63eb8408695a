import DRSCore
import Foundation

/// One filer during the week: the form as first read, the one figure they keep revising, and what the
/// server has acknowledged. A save whose answer never came (its instance was killed) may or may not
/// have been stored, so it is kept beside the acknowledged state until the next answer settles it.
struct FilerState: Sendable {
    let seed: DeadlineCast.Filer
    let session: DeadlineClient.Session
    /// The unit's submissions (`/api/v1/units/<id>/submissions`): written once, not on every request.
    let path: String
    var version: Int
    /// The values as read before the week: valid, so restoring them lets the form be submitted.
    let original: JSONValue
    /// The cell revised by every draft save: row code and column.
    let row: String
    let column: String
    var saves = 0
    var plannedSaves: Int
    var submitted = false
    /// The values as last acknowledged or read, and a save's whose answer never came; flattened
    /// (`flatten`) only when the bench reads the forms back, not on every save.
    var acknowledged: JSONValue
    var unacknowledged: JSONValue?
    var acknowledgedSaves = 0

    /// Reads the filer's form; nil when it cannot be revised (not editable, or no figure to revise).
    static func open(_ seed: DeadlineCast.Filer, session: DeadlineClient.Session, reply: DeadlineClient.Reply) -> FilerState? {
        guard reply.status == 200, let json = submission(reply), json["editable"] == .bool(true),
              case .number(let v)? = json["version"], let version = Int(v), let values = json["values"],
              let (row, column) = firstFigure(values) else { return nil }
        return FilerState(seed: seed, session: session, path: "/api/v1/units/\(seed.unit.uuidString)/submissions", version: version,
                          original: values, row: row, column: column, plannedSaves: Int.random(in: 10...40), acknowledged: values)
    }

    /// The form in a GET answer (`{"submission": {…}}`).
    static func submission(_ reply: DeadlineClient.Reply) -> JSONValue? {
        reply.status == 200 ? reply.json?["submission"] : nil
    }

    /// The first plain figure of the form (a row with a column holding a decimal string).
    static func firstFigure(_ values: JSONValue) -> (String, String)? {
        for (row, columns) in values.objectMembers ?? [] {
            for (column, value) in columns.objectMembers ?? [] where value.stringValue != nil { return (row, column) }
        }
        return nil
    }

    /// The form with the revised figure set to `figure` (1–97, so no bound of a share is crossed).
    func revised(_ figure: Int) -> JSONValue {
        .object((original.objectMembers ?? []).map { row, columns in
            guard row == self.row else { return (row, columns) }
            return (row, .object((columns.objectMembers ?? []).map { column, value in
                (column, column == self.column ? .string(String(figure)) : value)
            }))
        })
    }

    static func flatten(_ value: JSONValue, prefix: String = "", into result: inout [String: String]) {
        switch value {
        case .object(let members): for (key, member) in members { flatten(member, prefix: prefix.isEmpty ? key : prefix + "/" + key, into: &result) }
        case .string(let s), .number(let s): result[prefix] = s
        default: break
        }
    }

    static func flatten(_ value: JSONValue) -> [String: String] {
        var result: [String: String] = [:]
        flatten(value, prefix: "", into: &result)
        return result
    }

    func saveBody(_ values: JSONValue) -> String {
        JSONValue.object([("version", .number(String(version))), ("values", values)]).serialized()
    }
}
