/// 100% stacked horizontal bars. Each part's label sits inside its segment when it fits, otherwise on
/// a line under the bar; space withheld by suppressed parts is hatched and carries their labels.
enum StackedShareRenderer {
    private struct Segment {
        var start: Double
        var width: Double
        var label: String
        var part: Int? // nil: the withheld remainder
    }

    static func render(_ chart: StackedShareChart, width: Double, height: Double, idPrefix: String) -> String {
        guard !chart.categories.isEmpty, !chart.parts.isEmpty,
              let largest = LargestValue.find(categories: chart.categories, series: chart.parts) else {
            return ChartFrame.empty(title: chart.title, kind: "百分比堆积条形图", width: width, height: height, idPrefix: idPrefix)
        }
        var description = "百分比堆积条形图：\(chart.title)。共\(chart.categories.count)个类别、\(chart.parts.count)个组成部分。"
        description += "占比最大的是\(largest.category)中的\(largest.series)：\(largest.label)%。"
        description += ChartFrame.gapNote(LargestValue.gapCount(categories: chart.categories, series: chart.parts))

        var writer = SVGWriter(idPrefix: idPrefix)
        var top = ChartFrame.title(chart.title, into: &writer)
        var legendItems = chart.parts.enumerated().map { ($0.element.name, ChartFrame.Swatch.fill($0.offset)) }
        let hasGaps = LargestValue.gapCount(categories: chart.categories, series: chart.parts) > 0
        if hasGaps { legendItems.append(("不予公布或缺失", .gap)) }
        top = ChartFrame.legend(legendItems, x: ChartFrame.margin, y: top, maxWidth: width - 2 * ChartFrame.margin, into: &writer) + 6

        let left = min(TextMetrics.maxWidth(chart.categories, fontSize: 11) + 16, width * 0.4)
        let plotWidth = max(40, width - left - 2 * ChartFrame.margin)
        let segmentsByCategory = chart.categories.indices.map { segments(chart, category: $0, plotWidth: plotWidth) }
        let overflow = segmentsByCategory.contains { $0.contains { !fits($0) } }
        let bottom = 26.0
        let minimumRow = overflow ? 44.0 : 30.0
        let plotHeight = max(height - top - bottom, minimumRow * Double(chart.categories.count))
        let canvasHeight = top + plotHeight + bottom
        let row = plotHeight / Double(chart.categories.count)
        let barHeight = min(26, row - (overflow ? 22 : 8))
        let axisY = top + plotHeight

        for percent in stride(from: 0, through: 100, by: 20) {
            let tickX = left + Double(percent) / 100 * plotWidth
            if percent > 0 { writer.line(x1: tickX, y1: top, x2: tickX, y2: axisY, stroke: SVGWriter.gridInk, width: 0.6) }
            writer.text("\(percent)%", x: tickX, y: axisY + 14, size: 10, anchor: .middle, fill: SVGWriter.mutedInk)
        }
        for (categoryIndex, category) in chart.categories.enumerated() {
            let rowTop = top + row * Double(categoryIndex)
            let barTop = rowTop + (overflow ? 4 : (row - barHeight) / 2)
            writer.rect(x: left, y: barTop, width: plotWidth, height: barHeight, fill: "#ffffff", stroke: SVGWriter.gridInk, strokeWidth: 0.6)
            writer.text(category, x: left - 6, y: barTop + barHeight / 2 + 4, size: 11, anchor: .end)
            let parts = segmentsByCategory.indices.contains(categoryIndex) ? segmentsByCategory[categoryIndex] : []
            drawSegments(parts, left: left, barTop: barTop, barHeight: barHeight, idPrefix: idPrefix, into: &writer)
        }
        writer.line(x1: left, y1: top, x2: left, y2: axisY, stroke: SVGWriter.ink, width: 1)
        return writer.document(width: width, height: canvasHeight, title: chart.title, description: description)
    }

    /// A bar's segments, each labelled inside when the label fits, else under the bar.
    private static func drawSegments(_ parts: [Segment], left: Double, barTop: Double, barHeight: Double, idPrefix: String,
                                     into writer: inout SVGWriter) {
        var nextFreeX = -Double.infinity
        for segment in parts {
            let segmentLeft = left + segment.start
            let fill = segment.part.map { FillStyle.fill($0, idPrefix: idPrefix) } ?? FillStyle.gap(idPrefix: idPrefix)
            writer.rect(x: segmentLeft, y: barTop, width: segment.width, height: barHeight, fill: fill, stroke: FillStyle.outline, strokeWidth: 0.5)
            if fits(segment) {
                let dark = segment.part.map(FillStyle.isDark) ?? false
                writer.text(segment.label, x: segmentLeft + segment.width / 2, y: barTop + barHeight / 2 + 3.5, size: 10, anchor: .middle,
                            fill: dark ? "#ffffff" : SVGWriter.ink, halo: !dark)
            } else {
                // Under the bar, pushed right past the previous overflowing label.
                let labelWidth = TextMetrics.width(segment.label, fontSize: 9.5)
                let labelX = max(segmentLeft + segment.width / 2 - labelWidth / 2, nextFreeX)
                writer.line(x1: segmentLeft + segment.width / 2, y1: barTop + barHeight, x2: labelX + labelWidth / 2, y2: barTop + barHeight + 4,
                            stroke: SVGWriter.mutedInk, width: 0.5)
                writer.text(segment.label, x: labelX, y: barTop + barHeight + 13, size: 9.5, fill: SVGWriter.ink)
                nextFreeX = labelX + labelWidth + 4
            }
        }
    }

    private static func fits(_ segment: Segment) -> Bool {
        TextMetrics.width(segment.label, fontSize: 10) + 4 <= segment.width
    }

    /// Published shares in part order (scaled down if they exceed 100), then the withheld remainder.
    private static func segments(_ chart: StackedShareChart, category: Int, plotWidth: Double) -> [Segment] {
        let values = chart.parts.map { $0.value(at: category) }
        let publishedTotal = values.reduce(0) { $0 + ($1.plotted ?? 0) }
        let factor = publishedTotal > 100 ? 100 / publishedTotal : 1
        var segments: [Segment] = []
        var start = 0.0
        for (part, value) in values.enumerated() {
            guard let share = value.plotted else { continue }
            let segmentWidth = share * factor / 100 * plotWidth
            segments.append(Segment(start: start, width: segmentWidth, label: value.label, part: part))
            start += segmentWidth
        }
        var gapLabels: [String] = []
        for value in values where value.plotted == nil && !gapLabels.contains(value.label) { gapLabels.append(value.label) }
        if !gapLabels.isEmpty {
            segments.append(Segment(start: start, width: max(0, plotWidth - start), label: gapLabels.joined(separator: "/"), part: nil))
        }
        return segments
    }
}
