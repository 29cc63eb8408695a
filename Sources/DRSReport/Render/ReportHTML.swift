import DRSCharts

/// `report.html`: the whole report in one self-contained, print-ready file (inline CSS and SVG, no
/// script, no external resource). A draft carries its mark on the cover and on every page.
public enum ReportHTML {
    public static func render(_ doc: ReportDocument, mark: String? = nil, edition: String? = nil) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += "<title>\(MarkupText.escape(doc.title + (doc.subtitle ?? "")))</title><style>\(ReportStyle.css)</style></head><body>\n"
        if let mark { html += "<div class=\"draft-banner\">\(MarkupText.escape(mark))</div>\n" }
        html += cover(doc, mark: mark, edition: edition)
        html += toc(doc)
        for (index, chapter) in doc.chapters.enumerated() { html += render(chapter, number: index + 1) }
        html += "</body></html>\n"
        return html
    }

    private static func cover(_ doc: ReportDocument, mark: String?, edition: String?) -> String {
        var s = "<section class=\"cover\" id=\"cover\"><h1>\(MarkupText.escape(doc.title))</h1>"
        if let subtitle = doc.subtitle { s += "<div class=\"subtitle\">\(MarkupText.escape(subtitle))</div>" }
        s += "<hr>"
        s += "<div class=\"issuer\">\(MarkupText.escape(doc.issuer))</div>"
        if let mark { s += "<div class=\"mark\">\(MarkupText.escape(mark))</div>" }
        if let edition { s += "<div class=\"edition\">\(MarkupText.escape(edition))</div>" }
        return s + "</section>\n"
    }

    private static func toc(_ doc: ReportDocument) -> String {
        var s = "<nav class=\"toc\"><h2>目录</h2><ol>"
        for (i, chapter) in doc.chapters.enumerated() {
            s += "<li><a href=\"#\(chapter.id)\">\(ChineseNumeral.chapter(i + 1))、\(MarkupText.escape(chapter.title))</a></li>"
        }
        return s + "</ol></nav>\n"
    }

    private static func render(_ chapter: ReportChapter, number: Int) -> String {
        var s = "<section class=\"chapter\" id=\"\(MarkupText.escape(chapter.id))\"><h2>\(ChineseNumeral.chapter(number))、\(MarkupText.escape(chapter.title))</h2>\n"
        for p in chapter.paragraphs { s += "<p>\(MarkupText.escape(p))</p>\n" }
        for table in chapter.tables { s += render(table) }
        return s + "</section>\n"
    }

    private static func render(_ table: ReportTable) -> String {
        var s = ""
        if let chart = table.chart {
            let svg = SVGChart.render(chart, width: 640, height: chart.isMap ? 520 : 340, idPrefix: "c\(table.id.filter { $0.isLetter || $0.isNumber })")
            s += "<figure class=\"chart\" data-table=\"\(MarkupText.escape(table.id))\">\(svg)<figcaption>图 \(MarkupText.escape(table.id))　\(MarkupText.escape(table.title))</figcaption></figure>\n"
        }
        s += "<table class=\"report-table\" id=\"t\(MarkupText.escape(table.id))\"><caption>表 \(MarkupText.escape(table.id))　\(MarkupText.escape(table.title))</caption>"
        s += "<thead><tr><th scope=\"col\">\(MarkupText.escape(table.rowHeader))</th>"
        for c in table.columns { s += "<th scope=\"col\">\(MarkupText.escape(c))</th>" }
        s += "</tr></thead><tbody>"
        for (i, row) in table.rows.enumerated() {
            let total = i == table.rows.count - 1 && row.label.hasSuffix("合计")
            s += total ? "<tr class=\"total\">" : "<tr>"
            s += "<th scope=\"row\">\(MarkupText.escape(row.label))</th>"
            for c in row.cells { s += "<td class=\"num\">\(MarkupText.escape(c))</td>" }
            s += "</tr>"
        }
        s += "</tbody></table>"
        var notes = table.notes
        if table.hasSuppressed { notes.append(ReportDocument.suppressedFootnote) }
        if !notes.isEmpty { s += "<div class=\"notes\">" + notes.map { "<p>注：\(MarkupText.escape($0))</p>" }.joined() + "</div>" }
        return s + "\n"
    }
}

extension Chart {
    var isMap: Bool { if case .tileMap = self { true } else { false } }
}

/// 一、二、… for chapter numbers.
enum ChineseNumeral {
    static func chapter(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        switch n {
        case 0..<10: return digits[n]
        case 10: return "十"
        case 11..<20: return "十" + digits[n - 10]
        case 20..<100: return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10])
        default: return String(n)
        }
    }
}
