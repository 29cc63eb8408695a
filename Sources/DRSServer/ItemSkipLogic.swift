import DRSCore

/// Skip logic of a basic-information form (公共1表, 企业1表) for its page: an item asked only when
/// another item of the same form has a given answer (`Item.condition` = {item, equals}) carries
/// that condition and the reason shown while it is not met. The page's script applies it live as
/// the controlling answer changes; the rule itself stays data in the catalog.
struct ItemSkipLogic {
    let form: Form

    /// The view of `item` (and of its fields) with its condition and reason filled in.
    func apply(to view: FormPage.ItemView, item: Item) -> FormPage.ItemView {
        var view = view
        // A condition on another form's answer (a row of 企业5表 asked by 企业1表) is the server's, not this page's.
        if let condition = item.condition, condition.form == nil || condition.form == form.id,
           let other = condition.item, let expected = condition.equals {
            view.conditionItem = other
            view.conditionEquals = expected
            view.skipReason = reason(controlling: other, expected: expected)
        }
        let fields = item.fields ?? []
        view.fields = zip(view.fields, fields).map { apply(to: $0, item: $1) }
        return view
    }

    /// 「仅当“是否开发 AI 产品”选择“是”时填写，本项免填」.
    func reason(controlling path: String, expected: String) -> String {
        guard let controlling = item(at: path) else { return "仅当\(path)选择“\(expected)”时填写，本项免填" }
        let label = controlling.options?.first { $0.code == expected }?.label ?? expected
        return "仅当“\(controlling.name)”选择“\(label)”时填写，本项免填"
    }

    /// The item an answer key names: `Q10`, or `S05.answer` for a field of a group.
    func item(at path: String) -> Item? {
        let parts = path.split(separator: ".").map(String.init)
        guard let first = parts.first, var current = form.item(first) else { return nil }
        for key in parts.dropFirst() {
            guard let field = (current.fields ?? []).first(where: { ($0.key ?? $0.code) == key }) else { return nil }
            current = field
        }
        return current
    }
}
