import DRSCore
import Foundation

/// The answers of a basic-information form as a reviewer reads them: each item's name and its
/// answer in words — a choice by its label (其他 with the text the filer gave), a code of a code
/// list with its name, a group field by field, a figure with its unit.
enum AnswerSummary {
    struct Line: Encodable {
        var code: String
        var name: String
        var answer: String
        /// A field of a group item (shown indented under the group's line).
        var isField: Bool
        var isEmpty: Bool
    }

    /// The lines of the items asked of a unit of `respondentTypes` (an item for another type is left out).
    static func lines(form: Form, answers: JSONValue, codeLists: [String: CodeList], respondentTypes: [String]) -> [Line] {
        var lines: [Line] = []
        for item in form.allItems {
            if let type = item.condition?.respondentType, !respondentTypes.contains(type), answers[item.code] == nil { continue }
            append(item, code: item.code, answer: answers[item.code], isField: false, into: &lines, codeLists)
        }
        return lines
    }

    private static func append(_ item: Item, code: String, answer: JSONValue?, isField: Bool, into lines: inout [Line],
                               _ codeLists: [String: CodeList]) {
        if item.type == .group {
            lines.append(Line(code: code, name: item.name, answer: "", isField: isField, isEmpty: false))
            for field in item.fields ?? [] {
                let key = field.key ?? field.code
                append(field, code: code + "." + key, answer: answer?[key], isField: true, into: &lines, codeLists)
            }
            return
        }
        let text = answerText(item, answer, codeLists)
        lines.append(Line(code: code, name: item.name, answer: text.isEmpty ? "（未填）" : text, isField: isField, isEmpty: text.isEmpty))
    }

    /// The answer in words; "" when there is none.
    static func answerText(_ item: Item, _ answer: JSONValue?, _ codeLists: [String: CodeList]) -> String {
        guard let answer, answer != .null else { return "" }
        if let options = item.options, !options.isEmpty {
            let chosen = answer.arrayValue ?? [answer]
            return chosen.map { choiceText($0, options) }.filter { !$0.isEmpty }.joined(separator: "、")
        }
        let raw: String
        switch answer {
        case .string(let s): raw = s
        case .number(let n): raw = n
        case .bool(let b): raw = b ? "是" : "否"
        default: raw = ""
        }
        if raw.isEmpty { return "" }
        if let list = item.codelist.flatMap({ codeLists[$0] }), let member = list.member(raw) { return "\(raw) \(member.name)" }
        if item.isNumeric {
            let unit = item.unit ?? (item.type == .percentage ? "%" : "")
            return ReviewDesk.grouped(raw) + (unit.isEmpty ? "" : " \(unit)")
        }
        return raw
    }

    /// One choice (a code, or `{code, text}` for an option with text such as 其他) as its label.
    private static func choiceText(_ choice: JSONValue, _ options: [Item.Option]) -> String {
        let code = choice.stringValue ?? choice["code"]?.stringValue ?? ""
        guard !code.isEmpty else { return "" }
        let label = options.first { $0.code == code }?.label ?? code
        let text = choice["text"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? label : "\(label)（\(text)）"
    }
}
