import DRSCore

/// How a basic-information answer typed into one cell (or one CSV field) becomes the JSON of
/// docs/submission-format.md: a single choice is its option code (`"1"`), a multiple choice an array
/// of codes, an option that asks for a text `{"code": "6", "text": "…"}`, anything else text.
/// Whether the answer is *valid* (an existing option, a well-formed 区划代码…) is for
/// `BasicInfoChecker`, not for reading: a wrong option is kept as typed so the check can name it.
enum AnswerInput {
    struct Choice {
        var code: String
        var label: String
        var withText: Bool
        var exclusive: Bool
    }

    /// Options of a choice item: its own, or the members of its code list.
    static func options(of item: Item, codeLists: [String: CodeList]) -> [Choice] {
        if let options = item.options, !options.isEmpty {
            return options.map { Choice(code: $0.code, label: $0.label, withText: $0.withText ?? false, exclusive: $0.exclusive ?? false) }
        }
        if let list = item.codelist, let members = codeLists[list]?.members {
            return members.map { Choice(code: $0.code, label: $0.name, withText: false, exclusive: false) }
        }
        return []
    }

    /// The cell's content as the item's answer: `isNumberCell` when the workbook holds a number (so
    /// leading zeros Excel dropped can be restored where the type has a fixed length). Nil when empty.
    static func answer(_ raw: String, item: Item, isNumberCell: Bool, codeLists: [String: CodeList]) -> JSONValue? {
        var text = isNumberCell ? TypedInput.plainNumberText(raw) : TypedInput.trimmed(raw)
        if text.isEmpty { return nil }
        if isNumberCell { text = restoringZeros(text, item: item) }
        switch item.type {
        case .singleChoice:
            return choice(text, options: options(of: item, codeLists: codeLists))
        case .multipleChoice:
            let chosen = pieces(text).map { choice($0, options: options(of: item, codeLists: codeLists)) }
            return .array(chosen)
        case .industryCode where item.multiple == true:
            return .array(pieces(text).map { .string(isNumberCell ? restoringZeros($0, item: item) : $0) })
        default:
            return .string(text)
        }
    }

    /// Fixed-length codes that Excel turned into numbers: 6-digit 邮政编码, 长途区号 starting with 0,
    /// 4- or 2-digit 行业代码.
    static func restoringZeros(_ text: String, item: Item) -> String {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return text }
        func padded(_ length: Int) -> String {
            text.count < length ? String(repeating: "0", count: length - text.count) + text : text
        }
        switch item.type {
        case .postcode: return padded(6)
        case .areaCode: return text.hasPrefix("0") ? text : "0" + text
        case .industryCode: return padded(item.level == "division" ? 2 : 4)
        default: return text
        }
    }

    /// `1,3`, `1，3`, `1、3`, `1;3`, `1 3`, one per line: the parts, trimmed. A part with a text
    /// (`7:车载终端`) is not split at its spaces.
    static func pieces(_ text: String) -> [String] {
        let separators: Set<Character> = [",", "，", "、", ";", "；", "\n", "\r"]
        var result: [String] = []
        for part in text.split(whereSeparator: { separators.contains($0) }) {
            let p = TypedInput.trimmed(part)
            if p.isEmpty { continue }
            if p.contains(":") || p.contains("：") {
                result.append(p)
            } else {
                result += p.split(whereSeparator: { $0.isWhitespace }).map { String($0) }
            }
        }
        return result
    }

    /// One chosen option: its code, its label, `code label` (as listed in the template's note), or
    /// `code:text` for an option that asks for a text. Anything else is kept as typed.
    static func choice(_ typed: String, options: [Choice]) -> JSONValue {
        let text = TypedInput.trimmed(NumberInput.normalizeWidth(typed))
        if let colon = text.firstIndex(where: { $0 == ":" || $0 == "：" }) {
            let head = TypedInput.trimmed(text[..<colon])
            let tail = TypedInput.trimmed(text[text.index(after: colon)...])
            if let option = match(head, options) {
                if option.withText, !tail.isEmpty {
                    return .object([("code", .string(option.code)), ("text", .string(tail))])
                }
                return .string(option.code)
            }
            return .string(text)
        }
        if let option = match(text, options) { return .string(option.code) }
        return .string(text)
    }

    private static func match(_ text: String, _ options: [Choice]) -> Choice? {
        if let o = options.first(where: { $0.code == text }) { return o }
        if let o = options.first(where: { $0.label == text }) { return o }
        // `1 是`, `1.是`, `1、是`, `(1)是`.
        var stripped = text
        if stripped.hasPrefix("(") || stripped.hasPrefix("（") { stripped.removeFirst() }
        for o in options where stripped.hasPrefix(o.code) {
            var rest = Substring(stripped.dropFirst(o.code.count))
            while let c = rest.first, c.isWhitespace || ".．、)）".contains(c) { rest = rest.dropFirst() }
            if String(rest) == o.label { return o }
        }
        return nil
    }

    /// An answer as one cell's text (for prefilled templates and CSV files): the reverse of `answer`.
    static func text(_ answer: JSONValue) -> String? {
        switch answer {
        case .null: return nil
        case .bool(let b): return b ? "是" : "否"
        case .number(let n): return n
        case .string(let s): return s
        case .array(let items):
            let parts = items.compactMap { text($0) }
            return parts.isEmpty ? nil : parts.joined(separator: ",")
        case .object:
            guard let code = answer["code"].flatMap({ text($0) }) else { return nil }
            if let t = answer["text"].flatMap({ text($0) }), !t.isEmpty { return "\(code):\(t)" }
            return code
        }
    }

    /// The answer at `105.regionCode` in an answers object.
    static func lookup(_ path: String, in answers: [String: JSONValue]) -> JSONValue? {
        let parts = path.split(separator: ".").map(String.init)
        guard let first = parts.first else { return nil }
        var current = answers[first]
        for p in parts.dropFirst() { current = current?[p] }
        return current
    }
}

/// The items of a basic-information form flattened to the cells that hold answers.
struct AnswerField {
    /// `109`, `105.regionCode`.
    var path: String
    var item: Item
    /// Depth 0 for an item, 1 for a field of a group.
    var depth: Int
    /// The name with its group's: `单位所在地区划及详细地址·区划代码`.
    var fullName: String

    static func all(_ form: Form) -> [(item: Item, fields: [AnswerField])] {
        form.allItems.map { item in
            var fields: [AnswerField] = []
            func visit(_ i: Item, path: String, depth: Int, name: String) {
                if i.type == .group {
                    for f in i.fields ?? [] { visit(f, path: path + "." + (f.key ?? f.code), depth: depth + 1, name: name + "·" + f.name) }
                } else {
                    fields.append(AnswerField(path: path, item: i, depth: depth, fullName: name))
                }
            }
            visit(item, path: item.code, depth: 0, name: item.name)
            return (item, fields)
        }
    }

    /// Sets an answer at a path, building group objects in the fields' order.
    static func assemble(_ values: [String: JSONValue], form: Form) -> [String: JSONValue] {
        var answers: [String: JSONValue] = [:]
        func build(_ item: Item, path: String) -> JSONValue? {
            if item.type == .group {
                var members: [(String, JSONValue)] = []
                for f in item.fields ?? [] {
                    let key = f.key ?? f.code
                    if let v = build(f, path: path + "." + key) { members.append((key, v)) }
                }
                return members.isEmpty ? nil : .object(members)
            }
            return values[path]
        }
        for item in form.allItems {
            if let v = build(item, path: item.code) { answers[item.code] = v }
        }
        return answers
    }
}
