import LeafKit

/// The fillable body of the form page (the indicator table's sections, the grids' blocks) written
/// straight into one string, and placed in `form.leaf` unescaped. A form has hundreds of cells, and
/// Leaf made them one by one: encoding the page for Leaf and its serializer were a fifth of an
/// instance's CPU under the deadline load for a tenth of its requests (docs/benchmarks.md (u)).
/// Every text is escaped as Leaf's `#()` escapes it (`htmlEscaped`); the markup is the one the
/// template had (`FormSheetMarkupTests` renders both and compares).
enum FormSheetMarkup {
    /// The `<tbody>` of each section of an indicator form.
    static func sections(_ sections: [FormPage.Section], columns: [FormPage.ColumnHead]) -> String {
        var html = ""
        html.reserveCapacity(sections.reduce(0) { $0 + $1.rows.count } * 900)
        for section in sections {
            html += "\n<tbody class=\"form-section\">\n"
            if !section.title.isEmpty {
                html += "<tr class=\"section-row\"><th colspan=\"3\" scope=\"rowgroup\">\(escaped(section.title))</th>"
                for _ in columns { html += "<td></td>" }
                html += "</tr>\n"
            }
            for row in section.rows { appendRow(row, to: &html) }
            html += "</tbody>\n"
        }
        return html
    }

    /// One block per grid column of a grid form (企业4表, 公共5表).
    static func grids(_ grids: [FormPage.Grid]) -> String {
        var html = ""
        for grid in grids {
            let column = escaped(grid.column), name = escaped(grid.columnName)
            html += "\n<section class=\"grid-block\" aria-labelledby=\"grid-\(column)\">\n"
            html += "<h2 class=\"grid-title\" id=\"grid-\(column)\">\(name)</h2>\n"
            html += "<div class=\"grid-scroll sheet-wrap\" role=\"region\" aria-label=\"\(name)（可左右滚动）\">\n"
            html += "<table class=\"form-table grid-table sheet\">\n<thead>\n<tr><th scope=\"col\" class=\"name\">项目</th>"
            for head in grid.heads { html += "<th scope=\"col\" class=\"num\">\(escaped(head))</th>" }
            html += "</tr>\n</thead>\n<tbody>\n"
            for row in grid.rows {
                html += "<tr class=\"grid-row\(row.isTotal ? " total" : "")\">\n<th scope=\"row\" class=\"name\">\(escaped(row.name))</th>\n"
                for cell in row.cells { appendCell(cell, applies: nil, to: &html) }
                html += "\n</tr>\n"
            }
            html += "</tbody>\n</table>\n</div>\n</section>\n"
        }
        return html
    }

    private static func appendRow(_ row: FormPage.Row, to html: inout String) {
        let code = escaped(row.code), unit = escaped(row.unit)
        html += "<tr class=\"row"
        if row.isSubItem { html += " sub-item" }
        if !row.applies { html += " not-applicable" }
        if !row.skipReason.isEmpty { html += " skipped" }
        if row.hasMembers { html += " has-members" }
        html += "\" data-row=\"\(code)\""
        if !row.skipReason.isEmpty { html += " data-skip-reason=\"\(escaped(row.skipReason))\"" }
        html += ">\n<th scope=\"row\" class=\"name\"><span class=\"row-name\">\(escaped(row.name))</span>"
        if !row.note.isEmpty { html += "<span class=\"row-note\">〔\(escaped(row.note))〕</span>" }
        if !row.skipReason.isEmpty { html += "<span class=\"skip-note\">\(escaped(row.skipReason))</span>" }
        if !row.definition.isEmpty {
            html += "<button type=\"button\" class=\"def-toggle\" aria-expanded=\"false\" tabindex=\"-1\">释义</button>"
            html += "<div class=\"definition\">\(escaped(row.definition))</div>"
        }
        html += "</th>\n<td class=\"unit\" data-label=\"计量单位\">\(unit)</td>\n<td class=\"code\" data-label=\"代码\">\(code)</td>\n"
        if row.hasMembers {
            for _ in row.cells { html += "<td class=\"group-cell\"></td>" }
        } else {
            for cell in row.cells { appendCell(cell, applies: row.applies, to: &html) }
        }
        html += "\n</tr>\n"
        for member in row.members {
            html += "<tr class=\"member-row\(row.applies ? "" : " not-applicable")\" data-row=\"\(code)\">\n"
            html += "<th scope=\"row\" class=\"name member-name\">\(escaped(member.name))</th>\n"
            html += "<td class=\"unit\" data-label=\"计量单位\">\(unit)</td>\n<td class=\"code\"></td>\n"
            for cell in member.cells { appendCell(cell, applies: row.applies, to: &html) }
            html += "\n</tr>\n"
        }
    }

    /// `text` escaped as Leaf's `#()` escapes it; most texts need nothing, and are passed on as they are.
    private static func escaped(_ text: String) -> String {
        text.utf8.contains { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }
            ? text.htmlEscaped() : text
    }

    /// A cell: its input (disabled when its row does not apply; grids have no such rows: `applies` nil),
    /// or —— when the column is closed for its row.
    private static func appendCell(_ cell: FormPage.CellView, applies: Bool?, to html: inout String) {
        guard cell.open else {
            html += "<td class=\"closed\" title=\"此栏不填\">——</td>"
            return
        }
        html += "<td class=\"num\(cell.required ? " required-cell" : "")\" data-label=\"\(escaped(cell.columnName))\">"
        html += "<input type=\"text\" class=\"cell\" inputmode=\"decimal\" autocomplete=\"off\" data-cell=\"\(escaped(cell.key))\""
        html += " value=\"\(escaped(cell.value))\" aria-label=\"\(escaped(cell.label))\""
        if cell.required { html += " aria-required=\"true\"" }
        if applies == false { html += " disabled data-na" }
        html += "><div class=\"cell-msg\"></div>"
        if !cell.lastYear.isEmpty { html += "<span class=\"last-year\">上年核定：\(escaped(cell.lastYear))</span>" }
        html += "</td>"
    }
}
