import DRSCore

/// Which form a page opens on when the request names none. From the catalog's order, never a form
/// code in Swift: a new edition with other forms needs no code change.
public enum FormDefaults {
    /// The first numeric (not basic-information) form the survey lists: its respondent types in
    /// `survey.json` order, each type's forms in order (the 2026 edition: 公共2表, the provinces'
    /// form). Nil when the catalog has no numeric form.
    public static func firstNumericForm(in catalog: Catalog) -> String? {
        var kinds: [String: Form.Kind] = [:]
        for form in catalog.forms { kinds[form.id] = form.kind }
        let listed = catalog.survey.respondentTypes.flatMap(\.forms) + catalog.forms.map(\.id)
        return listed.first { kinds[$0].map { $0 != .basicInfo } ?? false }
    }
}
