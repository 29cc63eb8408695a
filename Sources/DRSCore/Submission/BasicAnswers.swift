/// Reading and checking the answers of the basic-information forms (公共1表, 企业1表).
///
/// Answers are keyed by item code; a group item is an object keyed by field (`{"105": {"regionCode":
/// "110108001001"}}`); a single choice is an option code (`"1"`) or `{"code": "6", "text": "…"}` for an
/// option that asks for a text; a multiple choice is an array of those.
enum BasicAnswers {
    /// Splits answers into numeric fields (into `values`, checked by rules) and other answers.
    static func read(_ json: JSONValue, form: CompiledForm, into values: inout CellValues,
                     answers: inout [String: JSONValue], problems: inout [InputProblem]) {
        guard let members = json.objectMembers else {
            problems.append(InputProblem(path: "answers", code: "bad_answers", message: "answers 应为对象：{\"项目代码\": 回答}"))
            return
        }
        for (code, answer) in members {
            guard let item = form.form.item(code) else {
                let codes = form.form.allItems.map(\.code).joined(separator: "、")
                problems.append(InputProblem(path: "answers.\(code)", code: "unknown_code",
                                             message: "未知的项目代码「\(code)」（\(form.form.tableNumber)的项目：\(codes)）"))
                continue
            }
            readItem(item, answer, path: code, form: form, values: &values, problems: &problems)
            answers[code] = answer
        }
    }

    private static func readItem(_ item: Item, _ answer: JSONValue, path: String, form: CompiledForm,
                                 values: inout CellValues, problems: inout [InputProblem]) {
        if item.type == .group {
            if case .null = answer { return }
            guard let fields = answer.objectMembers else {
                problems.append(InputProblem(path: "answers.\(path)", code: "bad_group", message: "项目\(path)（\(item.name)）应为对象，按子项填写"))
                return
            }
            for (key, value) in fields {
                guard let field = item.fields?.first(where: { ($0.key ?? $0.code) == key }) else {
                    let keys = (item.fields ?? []).map { "\($0.key ?? $0.code)（\($0.name)）" }.joined(separator: "、")
                    problems.append(InputProblem(path: "answers.\(path).\(key)", code: "unknown_field",
                                                 message: "项目\(path)没有子项「\(key)」（可用：\(keys)）"))
                    continue
                }
                readItem(field, value, path: path + "." + key, form: form, values: &values, problems: &problems)
            }
        } else if item.isNumeric, let slot = form.layout.slot(code: path, column: "value") {
            store(answer, slot: slot, path: { "answers.\(path)" }, unit: item.type == .percentage ? "%" : (item.unit ?? ""),
                  into: &values, problems: &problems)
        }
    }
}

/// Format checks of basic-information answers: each gives a violation named after the item.
public enum BasicInfoChecker {
    public static func check(_ answers: [String: JSONValue], form: CompiledForm, codeLists: [String: CodeList],
                             respondentType: String? = nil) -> [Violation] {
        var found: [Violation] = []
        func answerOf(_ path: String) -> JSONValue? {
            let parts = path.split(separator: ".").map(String.init)
            var current = answers[parts[0]]
            for p in parts.dropFirst() { current = current?[p] }
            return current
        }
        func visit(_ item: Item, path: String, name: String) {
            let answer = answerOf(path)
            if let condition = item.condition {
                if let other = condition.item, let expected = condition.equals {
                    let given = answerOf(other).flatMap(choiceCode)
                    if given != expected {
                        if let answer, !isEmpty(answer) {
                            found.append(violation(form, path, name, .warning, "「\(name)」仅在\(other)选择「\(expected)」时填写，本项回答将被忽略"))
                        }
                        return
                    }
                }
                if let type = condition.respondentType, respondentType != nil, respondentType != type { return }
            }
            guard let answer, !isEmpty(answer) else {
                let asked = item.condition?.respondentType == nil || respondentType != nil
                if item.isRequired, (item.filledBy ?? "respondent") == "respondent", asked {
                    found.append(violation(form, path, name, .error, "「\(name)」为必填项，尚未填写"))
                }
                return
            }
            if item.type == .group {
                for field in item.fields ?? [] { visit(field, path: path + "." + (field.key ?? field.code), name: "\(name)·\(field.name)") }
                return
            }
            if let message = formatProblem(item, answer, codeLists: codeLists) {
                found.append(violation(form, path, name, .error, "「\(name)」\(message)"))
            }
        }
        for item in form.form.allItems { visit(item, path: item.code, name: item.name) }
        return found
    }

    static func isEmpty(_ answer: JSONValue) -> Bool {
        switch answer {
        case .null: true
        case .string(let s): s.trimmingWhitespace().isEmpty
        case .array(let a): a.isEmpty
        case .object(let m): m.allSatisfy { isEmpty($0.1) }
        default: false
        }
    }

    public static func choiceCode(_ answer: JSONValue) -> String? {
        switch answer {
        case .string(let s): s.trimmingWhitespace()
        case .number(let n): n
        case .object: answer["code"].flatMap(choiceCode)
        default: nil
        }
    }

    private static func violation(_ form: CompiledForm, _ path: String, _ name: String, _ severity: Severity, _ message: String) -> Violation {
        Violation(form: form.form.id, ruleID: "\(form.form.id)-FORMAT-\(path)", expression: "format(\(path))", seed: nil,
                  severity: severity, origin: .implied, column: "value", columnName: "", member: nil, memberName: nil,
                  cells: [Violation.Cell(code: path, column: "value", member: nil, name: name, value: nil, lastYear: false)],
                  message: message, needsExplanation: false, explanation: nil)
    }

    /// nil when the answer is well-formed for its type, else what is wrong (in Chinese).
    static func formatProblem(_ item: Item, _ answer: JSONValue, codeLists: [String: CodeList]) -> String? {
        func text() -> String? { answerText(answer) }
        switch item.type {
        case .group, .number, .percentage:
            return nil
        case .text:
            guard let s = text() else { return "应为文本" }
            if let max = item.maxLength, s.count > max { return "过长（最多\(max)个字）" }
            return nil
        case .creditCode:
            guard let s = text() else { return "应为文本" }
            do { _ = try CreditCode.validate(s); return nil } catch { return "有误：" + error.message }
        case .divisionCode:
            guard let s = text(), s.count == 12, isDigits(s) else { return "应为12位数字的统计用区划代码" }
            return nil
        case .urbanRuralCode:
            guard let s = text(), ["111", "112", "121", "122", "123", "210", "220"].contains(s) else {
                return "应为3位城乡分类代码（111、112、121、122、123、210、220）"
            }
            return nil
        case .industryCode:
            return industryProblem(item, answer, codeLists: codeLists)
        case .singleChoice, .multipleChoice:
            return choiceProblem(item, answer, codeLists: codeLists)
        case .yearMonth:
            return yearMonthProblem(text())
        case .email:
            return emailProblem(text())
        case .phone:
            return phoneProblem(text())
        case .mobile:
            guard let s = text(), s.count == 11, isDigits(s), s.hasPrefix("1") else { return "应为11位手机号码" }
            return nil
        case .areaCode:
            guard let s = text(), (3...4).contains(s.count), isDigits(s), s.hasPrefix("0") else { return "应为3–4位长途区号（以0开头，如 010）" }
            return nil
        case .postcode:
            guard let s = text(), s.count == 6, isDigits(s) else { return "应为6位邮政编码" }
            return nil
        case .url:
            guard let s = text(), !s.contains(" "), s.contains(".") else { return "不是有效的网址" }
            return nil
        }
    }

    /// The answer as typed text (full-width digits made ASCII, trimmed); nil for other JSON.
    private static func answerText(_ answer: JSONValue) -> String? {
        switch answer {
        case .string(let s): NumberInput.normalizeWidth(s).trimmingWhitespace()
        case .number(let n): n
        default: nil
        }
    }

    private static func isDigits(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }

    /// One or more GB/T 4754 codes of the item's level, within the known divisions.
    private static func industryProblem(_ item: Item, _ answer: JSONValue, codeLists: [String: CodeList]) -> String? {
        let divisions = codeLists["industryDivisions"]
        func valid(_ s: String) -> Bool {
            let length = item.level == "division" ? 2 : 4
            guard s.count == length, isDigits(s) else { return false }
            return divisions?.contains(String(s.prefix(2))) ?? true
        }
        let codes: [String]
        if case .array(let list) = answer { codes = list.compactMap(choiceCode) } else { codes = answerText(answer).map { [$0] } ?? [] }
        if codes.isEmpty { return "应为国民经济行业分类代码" }
        if let max = item.maxChoices, codes.count > max { return "最多填写\(max)个行业代码" }
        for code in codes where !valid(code) {
            return "「\(code)」不是有效的国民经济行业分类（GB/T 4754-2017）\(item.level == "division" ? "大类（2位）" : "小类（4位）")代码"
        }
        return nil
    }

    /// Options of the item (or its code list), no repeats, at most `maxChoices`, an exclusive one alone.
    private static func choiceProblem(_ item: Item, _ answer: JSONValue, codeLists: [String: CodeList]) -> String? {
        let options = item.options?.map(\.code) ?? item.codelist.flatMap { codeLists[$0]?.members.map(\.code) } ?? []
        var chosen: [String] = []
        if case .array(let list) = answer {
            if item.type == .singleChoice { return "为单选题，只能选择一项" }
            chosen = list.compactMap(choiceCode)
            if chosen.count != list.count { return "选项格式不正确" }
        } else if let code = choiceCode(answer) {
            chosen = [code]
        } else {
            return "选项格式不正确"
        }
        for code in chosen where !options.contains(code) {
            let labels = (item.options ?? []).map { "\($0.code) \($0.label)" }.joined(separator: "、")
            return "的选项「\(code)」不存在（可选：\(labels)）"
        }
        if Set(chosen).count != chosen.count { return "选项重复" }
        if let max = item.maxChoices, chosen.count > max { return "最多选择\(max)项" }
        if chosen.count > 1, let exclusive = item.options?.first(where: { $0.exclusive == true && chosen.contains($0.code) }) {
            return "选择了「\(exclusive.label)」就不能再选其他选项"
        }
        return nil
    }

    private static func yearMonthProblem(_ text: String?) -> String? {
        guard let s = text else { return "应为年月，如 2015-06" }
        let parts = String(s.map { $0 == "年" ? "-" : $0 }.filter { $0 != "月" }).split(separator: "-").map(String.init)
        guard parts.count == 2, parts[0].count == 4, isDigits(parts[0]), isDigits(parts[1]),
              let y = Int(parts[0]), let m = Int(parts[1]), (1800...2100).contains(y), (1...12).contains(m) else {
            return "「\(s)」不是有效的年月（如 2015-06）"
        }
        return nil
    }

    private static func emailProblem(_ text: String?) -> String? {
        guard let s = text else { return "应为电子邮箱" }
        let at = s.split(separator: "@", omittingEmptySubsequences: false)
        guard at.count == 2, !at[0].isEmpty, at[1].contains("."), !at[1].hasPrefix("."), !at[1].hasSuffix("."),
              !s.contains(" ") else { return "「\(s)」不是有效的电子邮箱" }
        return nil
    }

    /// A fixed line: `number`, `area-number` or `area-number-extension` (a bare number of 10–12
    /// digits starting with 0 includes its area code).
    private static func phoneProblem(_ text: String?) -> String? {
        guard let s = text else { return "应为电话号码" }
        let parts = s.split(separator: "-").map(String.init)
        guard parts.allSatisfy(isDigits), (1...3).contains(parts.count) else { return "「\(s)」不是有效的固定电话（如 010-12345678）" }
        let local = parts.count == 1 ? parts[0] : parts[1]
        let plain = parts.count == 1 && (10...12).contains(local.count) && local.hasPrefix("0")
        guard plain || (7...8).contains(local.count) else { return "「\(s)」不是有效的固定电话（如 010-12345678）" }
        return nil
    }
}
