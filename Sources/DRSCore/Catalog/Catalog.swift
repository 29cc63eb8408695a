/// One edition of the survey, as data: survey metadata, the forms, code lists and appendix lists.
public struct Catalog: Sendable {
    public var survey: Survey
    public var forms: [Form]
    public var codeLists: [String: CodeList]
    public var registries: [String: RegistryList]

    public init(survey: Survey, forms: [Form], codeLists: [String: CodeList], registries: [String: RegistryList]) {
        self.survey = survey
        self.forms = forms.sorted { Catalog.formOrder($0.id) < Catalog.formOrder($1.id) }
        self.codeLists = codeLists
        self.registries = registries
    }

    public func form(_ id: String) -> Form? { forms.first { $0.id == id } }

    /// P1…P5, E1…E7, I1 in the order of 报表目录.
    static func formOrder(_ id: String) -> (Int, Int) {
        let group = ["P": 0, "E": 1, "I": 2][id.first.map(String.init) ?? ""] ?? 9
        return (group, Int(id.dropFirst()) ?? 0)
    }
}

/// A code list (GB/T 2260 provinces, GB/T 4754 industries, option lists of basic-information items).
public struct CodeList: Codable, Sendable {
    public var id: String
    public var name: String
    public var source: String?
    public var members: [Member]

    public struct Member: Codable, Sendable {
        public var code: String
        public var name: String
        public var parent: String?
        public var note: String?
        public var printedColumn: Int?
    }

    public func member(_ code: String) -> Member? { members.first { $0.code == code } }
    public func contains(_ code: String) -> Bool { members.contains { $0.code == code } }
}

/// An appendix list of the seed (附录一–六): the units known to belong to a respondent type.
public struct RegistryList: Codable, Sendable {
    public var id: String
    public var name: String
    public var appendix: String?
    public var respondentType: String
    public var members: [Entry]
    public var seedIssues: [String]?

    public struct Entry: Codable, Sendable {
        public var seq: Int
        public var name: String
        public var region: String
        public var regionCode: String?
        public var flags: [String]?
        public var note: String?
    }
}
