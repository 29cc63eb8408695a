import DRSCore

/// Answers to a basic-information form (公共1表, 企业1表) for a synthetic unit: every item answered
/// in the format its type asks for, conditional items only when their condition holds, numbers taken
/// from figures that already satisfy the form's rules (shares summing to 100, 其中 ≤ total).
struct NationBasicAnswers {
    let form: CompiledForm
    let codeLists: [String: CodeList]
    let unit: NationUnit
    let provinceName: String
    let values: CellValues
    var random: NationRandom
    /// Choice codes given so far, by item path (`S01`, `S05.answer`), for conditions.
    private var chosen: [String: String] = [:]

    init(form: CompiledForm, codeLists: [String: CodeList], unit: NationUnit, provinceName: String, values: CellValues, random: NationRandom) {
        self.form = form
        self.codeLists = codeLists
        self.unit = unit
        self.provinceName = provinceName
        self.values = values
        self.random = random
    }

    mutating func answers() -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for item in form.form.allItems where asked(item) {
            if let answer = answer(item, path: item.code) { out[item.code] = answer }
        }
        return out
    }

    private func asked(_ item: Item) -> Bool {
        guard let condition = item.condition else { return true }
        if let type = condition.respondentType, !unit.types.contains(type) { return false }
        if let other = condition.item, let expected = condition.equals { return chosen[other] == expected }
        return true
    }

    private mutating func answer(_ item: Item, path: String) -> JSONValue? {
        switch item.type {
        case .group:
            var members: [(String, JSONValue)] = []
            for field in item.fields ?? [] where asked(field) {
                let key = field.key ?? field.code
                if let value = answer(field, path: path + "." + key) { members.append((key, value)) }
            }
            return .object(members)
        case .number, .percentage:
            return form.layout.slot(code: path, column: "value").flatMap { values[$0] }.map { .number($0.description) }
        case .singleChoice, .multipleChoice:
            let options = item.options?.filter { $0.exclusive != true }.map(\.code)
                ?? item.codelist.flatMap { codeLists[$0]?.members.map(\.code) } ?? []
            guard !options.isEmpty else { return nil }
            let code = options[random.below(options.count)]
            chosen[path] = code
            return item.type == .singleChoice ? .string(code) : .array([.string(code)])
        case .industryCode:
            let code = item.level == "division" ? String(unit.industryCode.prefix(2)) : (unit.industryCode + "00").prefix(4).description
            return item.maxChoices == nil ? .string(code) : .array([.string(code)])
        default:
            return .string(text(item))
        }
    }

    /// Well-formed text for the item's type.
    private mutating func text(_ item: Item) -> String {
        let serial = 10_000_000 + random.below(90_000_000)
        switch item.type {
        case .creditCode: return unit.creditCode
        case .divisionCode: return unit.regionCode + "000000"
        case .urbanRuralCode: return "111"
        case .yearMonth: return "\(1990 + random.below(34))-0\(1 + random.below(9))"
        case .email: return "data\(unit.index)@example.cn"
        case .areaCode: return "010"
        case .phone: return "010-\(serial)"
        case .mobile: return "139\(serial)"
        case .postcode: return unit.regionCode
        case .url: return "www.example.cn"
        default:
            if item.name.contains("名称") { return unit.name }
            if item.name.hasPrefix("省") { return provinceName }
            return String("演示数据：\(item.name)".prefix(item.maxLength ?? 60))
        }
    }
}
