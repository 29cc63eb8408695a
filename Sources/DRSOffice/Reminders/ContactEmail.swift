import DRSCore
import DRSStorage
import FluentKit
import Foundation

/// A unit's e-mail address for reminders. The registry keeps only a contact text (usually a phone
/// number), so the address comes from the unit's own answer to 联系方式 · 电子邮箱 on its
/// basic-information form (企业1表 / 公共1表), this year's or else last year's. Which answer holds it
/// is read from the catalog (the fields of type `email`), not written here.
public enum ContactEmail {
    /// Where an e-mail answer lives: the form, the item, and the field of a group item.
    struct Path: Equatable {
        var form: String
        var item: String
        var field: String?
    }

    /// The first plausible address: the registry's contact text when it is one, else the answers.
    public static func find(for unit: SurveyUnit, year: Int, catalog: CompiledCatalog, on db: any Database) async throws -> String? {
        guard let id = unit.id else { return nil }
        return try await addresses(for: [unit], year: year, catalog: catalog, on: db)[id]
    }

    /// `find` for many units at once (催报 of a whole batch): the answers of all those whose registry
    /// entry has no address are read in one statement per thousand units, not one per unit.
    public static func addresses(for units: [SurveyUnit], year: Int, catalog: CompiledCatalog, on db: any Database) async throws -> [UUID: String] {
        var found: [UUID: String] = [:]
        var asking: [UUID] = []
        for unit in units {
            guard let id = unit.id else { continue }
            let contact = unit.contact.trimmingCharacters(in: .whitespaces)
            if isPlausible(contact) { found[id] = contact } else { asking.append(id) }
        }
        let paths = emailPaths(catalog)
        guard !paths.isEmpty, !asking.isEmpty else { return found }
        let stored = try await SubmissionStore(database: db, gate: nil).answers(unitIDs: asking, years: [year, year - 1], forms: Array(Set(paths.map(\.form))))
        // The latest year first: this year's answer wins over last year's.
        for row in stored where found[row.unitID] == nil {
            for path in paths where path.form == row.formID {
                if let address = address(in: row.answers, at: path) {
                    found[row.unitID] = address
                    break
                }
            }
        }
        return found
    }

    /// The e-mail fields of the catalog's basic-information forms.
    static func emailPaths(_ catalog: CompiledCatalog) -> [Path] {
        catalog.orderedForms.filter { $0.form.kind == .basicInfo }.flatMap { compiled in
            compiled.form.allItems.flatMap { item -> [Path] in
                if item.type == .email { return [Path(form: compiled.form.id, item: item.code, field: nil)] }
                return (item.fields ?? []).filter { $0.type == .email }.map { Path(form: compiled.form.id, item: item.code, field: $0.key ?? $0.code) }
            }
        }
    }

    /// The answer at `path` in a submission's answers JSON, when it is a plausible address.
    static func address(in answers: String, at path: Path) -> String? {
        guard let document = try? JSONValue.parse(answers), let item = document[path.item] else { return nil }
        let value = path.field.map { item[$0] } ?? item
        guard let text = value?.stringValue?.trimmingCharacters(in: .whitespaces), isPlausible(text) else { return nil }
        return text
    }

    /// One mailbox `local@domain.tld` of printable ASCII without spaces, brackets, quotes or line
    /// breaks: safe to put in a header and on curl's command line as it is.
    public static func isPlausible(_ text: String) -> Bool {
        guard text.utf8.count <= 254, !text.hasPrefix("-") else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty, domain.contains("."),
              !domain.hasPrefix("."), !domain.hasSuffix(".") else { return false }
        let allowedLocal = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-")
        let allowedDomain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        return local.allSatisfy(allowedLocal.contains) && domain.allSatisfy(allowedDomain.contains)
    }
}
