/// Pieces shared by every chart: the title, the unit line, the legend, the empty chart, the summary.
enum ChartFrame {
    static let margin = 12.0

    /// Draws the title; returns the y below it.
    static func title(_ title: String, into writer: inout SVGWriter) -> Double {
        writer.text(title, x: margin, y: 22, size: 15, bold: true)
        return 32
    }

    /// Draws "单位：…" when there is a unit; returns the y below it.
    static func unit(_ unit: String, at y: Double, into writer: inout SVGWriter) -> Double {
        guard !unit.isEmpty else { return y }
        writer.text("单位：" + unit, x: margin, y: y + 12, size: 10.5, fill: SVGWriter.mutedInk)
        return y + 18
    }

    enum Swatch { case fill(Int), line(Int), gap, blank, shade(String) }

    /// Draws legend items left to right, wrapping; returns the y below the legend.
    static func legend(_ items: [(String, Swatch)], x: Double, y: Double, maxWidth: Double, into writer: inout SVGWriter) -> Double {
        guard !items.isEmpty else { return y }
        let rowHeight = 17.0
        var cursorX = x
        var top = y + 2
        for (name, swatch) in items {
            let itemWidth = 22 + TextMetrics.width(name, fontSize: 10.5) + 14
            if cursorX > x && cursorX + itemWidth > x + maxWidth {
                cursorX = x
                top += rowHeight
            }
            drawSwatch(swatch, x: cursorX, y: top, into: &writer)
            writer.text(name, x: cursorX + 22, y: top + 10, size: 10.5)
            cursorX += itemWidth
        }
        return top + rowHeight
    }

    static func drawSwatch(_ swatch: Swatch, x: Double, y: Double, into writer: inout SVGWriter) {
        switch swatch {
        case .fill(let index):
            writer.rect(x: x, y: y, width: 16, height: 12, fill: FillStyle.fill(index, idPrefix: writer.idPrefix), stroke: FillStyle.outline)
        case .line(let index):
            writer.line(x1: x, y1: y + 6, x2: x + 18, y2: y + 6, stroke: LineStyle.stroke(index), width: 2, dash: LineStyle.dash(index))
            writer.raw(LineStyle.markerElement(index, x: x + 9, y: y + 6))
        case .gap:
            writer.rect(x: x, y: y, width: 16, height: 12, fill: FillStyle.gap(idPrefix: writer.idPrefix), stroke: SVGWriter.mutedInk)
        case .blank:
            writer.rect(x: x, y: y, width: 16, height: 12, fill: "#ffffff", stroke: SVGWriter.mutedInk, dash: "2 2")
        case .shade(let colour):
            writer.rect(x: x, y: y, width: 16, height: 12, fill: colour, stroke: FillStyle.outline)
        }
    }

    /// The message for a chart with nothing to draw.
    static let emptyMessage = "无可公布数据"

    static func empty(title: String, kind: String, width: Double, height: Double, idPrefix: String) -> String {
        var writer = SVGWriter(idPrefix: idPrefix)
        _ = ChartFrame.title(title, into: &writer)
        writer.text(emptyMessage, x: width / 2, y: height / 2, size: 14, anchor: .middle, fill: SVGWriter.mutedInk)
        return writer.document(width: width, height: height, title: title, description: "\(kind)：\(title)。\(emptyMessage)。")
    }

    /// "共 n 个数值不予公布或缺失" when some values are gaps, else "".
    static func gapNote(_ gaps: Int) -> String {
        gaps > 0 ? "另有\(gaps)个数值不予公布或缺失。" : ""
    }
}

/// The largest published value among series over categories, for the description.
struct LargestValue {
    var category: String
    var series: String
    var label: String
    var magnitude: Double

    static func find(categories: [String], series: [ChartSeries]) -> LargestValue? {
        var best: LargestValue?
        for (index, category) in categories.enumerated() {
            for item in series {
                let value = item.value(at: index)
                guard let magnitude = value.plotted else { continue }
                if best.map({ magnitude > $0.magnitude }) ?? true {
                    best = LargestValue(category: category, series: item.name, label: value.label, magnitude: magnitude)
                }
            }
        }
        return best
    }

    static func gapCount(categories: [String], series: [ChartSeries]) -> Int {
        var count = 0
        for index in categories.indices {
            for item in series where item.value(at: index).plotted == nil { count += 1 }
        }
        return count
    }
}
