/// Grouped bars, vertical or horizontal, with a value label on every bar.
enum BarRenderer {
    /// Beyond this many categories, bars are laid out horizontally so the names stay legible.
    static let maxVerticalCategories = 12

    static func render(_ chart: BarChart, width: Double, height: Double, idPrefix: String) -> String {
        guard !chart.categories.isEmpty, !chart.series.isEmpty,
              let largest = LargestValue.find(categories: chart.categories, series: chart.series) else {
            return ChartFrame.empty(title: chart.title, kind: "柱状图", width: width, height: height, idPrefix: idPrefix)
        }
        var description = "柱状图：\(chart.title)。共\(chart.categories.count)个类别"
        if chart.series.count > 1 { description += "、\(chart.series.count)个系列" }
        description += "。最大值为\(largest.category)"
        if chart.series.count > 1 { description += "（\(largest.series)）" }
        description += "：\(largest.label)\(chart.unit)。"
        description += ChartFrame.gapNote(LargestValue.gapCount(categories: chart.categories, series: chart.series))

        var writer = SVGWriter(idPrefix: idPrefix)
        var top = ChartFrame.title(chart.title, into: &writer)
        if chart.series.count > 1 {
            let items = chart.series.enumerated().map { ($0.element.name, ChartFrame.Swatch.fill($0.offset)) }
            top = ChartFrame.legend(items, x: ChartFrame.margin, y: top, maxWidth: width - 2 * ChartFrame.margin, into: &writer)
        }
        top = ChartFrame.unit(chart.unit, at: top, into: &writer)
        let scale = NiceScale(maximum: largest.magnitude)
        let horizontal = chart.horizontal || chart.categories.count > maxVerticalCategories
            || namesTooLongForColumns(chart, width: width, height: height)
        let finalHeight = horizontal
            ? drawHorizontal(chart, scale: scale, top: top + 6, width: width, height: height, into: &writer)
            : drawVertical(chart, scale: scale, top: top + 6, width: width, height: height, into: &writer)
        return writer.document(width: width, height: finalHeight, title: chart.title, description: description)
    }

    /// Whether rotated category names would take more than 40% of the height: bars go horizontal.
    static func namesTooLongForColumns(_ chart: BarChart, width: Double, height: Double) -> Bool {
        let slot = (width - 60) / Double(max(chart.categories.count, 1))
        let longest = TextMetrics.maxWidth(chart.categories, fontSize: 11)
        return longest > slot - 4 && longest * 0.72 + 22 > height * 0.4
    }

    /// Left margin so that names rotated by -45° about their column centre stay on the canvas.
    static func leftForRotatedNames(_ names: [String], left: Double, plotRight: Double) -> Double {
        var needed = left
        for _ in 0..<2 {
            let slot = max(1, (plotRight - needed) / Double(max(names.count, 1)))
            for (index, name) in names.enumerated() {
                // The glyphs reach past the anchor line by about their height, hence the extra 8.
                let reach = TextMetrics.width(name, fontSize: 11) * 0.71 - 4 + 10
                let centreOffset = slot * (Double(index) + 0.5)
                needed = max(needed, reach - centreOffset)
            }
        }
        return min(needed, plotRight * 0.5)
    }

    /// Returns the canvas height used.
    private static func drawVertical(_ chart: BarChart, scale: NiceScale, top: Double, width: Double, height: Double, into writer: inout SVGWriter) -> Double {
        let categoryCount = Double(chart.categories.count)
        let seriesCount = Double(chart.series.count)
        let tickLabels = scale.tickLabels
        let tickLeft = max(36, TextMetrics.maxWidth(tickLabels, fontSize: 10) + 14)
        let longestCategory = TextMetrics.maxWidth(chart.categories, fontSize: 11)
        let rotateCategories = longestCategory > (width - tickLeft - ChartFrame.margin) / categoryCount - 4
        let left = rotateCategories
            ? leftForRotatedNames(chart.categories, left: tickLeft, plotRight: width - ChartFrame.margin)
            : tickLeft
        let plotWidth = max(40, width - left - ChartFrame.margin)
        let slot = plotWidth / categoryCount
        let bottom = rotateCategories ? min(longestCategory * 0.72 + 22, height * 0.45) : 26
        let group = slot * 0.72
        let barWidth = group / seriesCount
        let valueLabels = chart.series.flatMap { series in chart.categories.indices.map { series.value(at: $0).label } }
        let longestValue = TextMetrics.maxWidth(valueLabels, fontSize: 10)
        let rotateValues = longestValue > slot / seriesCount - 2
        let headroom = rotateValues ? longestValue + 8 : 14
        let geometryTop = top + headroom
        let canvasHeight = max(height, geometryTop + 60 + bottom)
        let baseline = canvasHeight - bottom
        let span = baseline - geometryTop
        func y(_ value: Double) -> Double { baseline - min(value, scale.top) / scale.top * span }

        for (tick, label) in zip(scale.ticks, tickLabels) {
            let tickY = y(tick)
            if tick > 0 { writer.line(x1: left, y1: tickY, x2: left + plotWidth, y2: tickY, stroke: SVGWriter.gridInk, width: 0.6) }
            writer.text(label, x: left - 6, y: tickY + 3.5, size: 10, anchor: .end, fill: SVGWriter.mutedInk)
        }
        for (categoryIndex, category) in chart.categories.enumerated() {
            let slotLeft = left + slot * Double(categoryIndex)
            for (seriesIndex, series) in chart.series.enumerated() {
                let value = series.value(at: categoryIndex)
                let barLeft = slotLeft + (slot - group) / 2 + barWidth * Double(seriesIndex)
                drawColumn(value, seriesIndex: seriesIndex, left: barLeft, width: barWidth, top: value.plotted.map(y), baseline: baseline,
                           rotateLabel: rotateValues, into: &writer)
            }
            let centre = slotLeft + slot / 2
            if rotateCategories {
                writer.text(category, x: centre + 4, y: baseline + 12, size: 11, anchor: .end, rotation: -45)
            } else {
                writer.text(category, x: centre, y: baseline + 16, size: 11, anchor: .middle)
            }
        }
        writer.line(x1: left, y1: baseline, x2: left + plotWidth, y2: baseline, stroke: SVGWriter.ink, width: 1)
        return canvasHeight
    }

    /// One column from `top` down to the baseline with its value label above it (turned upright when
    /// labels are wider than the columns); a gap (`top` nil) has only its label, in grey, on the baseline.
    private static func drawColumn(_ value: ChartValue, seriesIndex: Int, left barLeft: Double, width barWidth: Double, top: Double?,
                                   baseline: Double, rotateLabel rotateValues: Bool, into writer: inout SVGWriter) {
        let centre = barLeft + barWidth / 2
        if let barTop = top {
            writer.rect(x: barLeft, y: barTop, width: barWidth, height: baseline - barTop,
                        fill: FillStyle.fill(seriesIndex, idPrefix: writer.idPrefix), stroke: FillStyle.outline, strokeWidth: 0.5)
            if rotateValues {
                writer.text(value.label, x: centre + 3.5, y: barTop - 4, size: 10, rotation: -90)
            } else {
                writer.text(value.label, x: centre, y: barTop - 4, size: 10, anchor: .middle)
            }
        } else if rotateValues {
            writer.text(value.label, x: centre + 3.5, y: baseline - 4, size: 10, fill: SVGWriter.mutedInk, rotation: -90)
        } else {
            writer.text(value.label, x: centre, y: baseline - 4, size: 10, anchor: .middle, fill: SVGWriter.mutedInk)
        }
    }

    /// Returns the canvas height used (grown when the rows need it).
    private static func drawHorizontal(_ chart: BarChart, scale: NiceScale, top: Double, width: Double, height: Double, into writer: inout SVGWriter) -> Double {
        let categoryCount = Double(chart.categories.count)
        let seriesCount = Double(chart.series.count)
        let left = min(TextMetrics.maxWidth(chart.categories, fontSize: 11) + 16, width * 0.42)
        let valueLabels = chart.series.flatMap { series in chart.categories.indices.map { series.value(at: $0).label } }
        let right = TextMetrics.maxWidth(valueLabels, fontSize: 10) + 16
        let bottom = 26.0
        let minimumRow = max(18, seriesCount * 9 + 6)
        let plotHeight = max(height - top - bottom, minimumRow * categoryCount)
        let canvasHeight = top + plotHeight + bottom
        let row = plotHeight / categoryCount
        let group = row * 0.74
        let barHeight = group / seriesCount
        let plotWidth = max(40, width - left - right)
        func x(_ value: Double) -> Double { left + min(value, scale.top) / scale.top * plotWidth }
        let axisY = top + plotHeight

        for (tick, label) in zip(scale.ticks, scale.tickLabels) {
            let tickX = x(tick)
            if tick > 0 { writer.line(x1: tickX, y1: top, x2: tickX, y2: axisY, stroke: SVGWriter.gridInk, width: 0.6) }
            writer.text(label, x: tickX, y: axisY + 14, size: 10, anchor: .middle, fill: SVGWriter.mutedInk)
        }
        for (categoryIndex, category) in chart.categories.enumerated() {
            let rowTop = top + row * Double(categoryIndex)
            for (seriesIndex, series) in chart.series.enumerated() {
                let value = series.value(at: categoryIndex)
                let barTop = rowTop + (row - group) / 2 + barHeight * Double(seriesIndex)
                let textY = barTop + barHeight / 2 + 3.5
                if let magnitude = value.plotted {
                    let end = x(magnitude)
                    writer.rect(x: left, y: barTop, width: end - left, height: barHeight,
                                fill: FillStyle.fill(seriesIndex, idPrefix: writer.idPrefix), stroke: FillStyle.outline, strokeWidth: 0.5)
                    writer.text(value.label, x: end + 4, y: textY, size: 10)
                } else {
                    writer.text(value.label, x: left + 4, y: textY, size: 10, fill: SVGWriter.mutedInk)
                }
            }
            writer.text(category, x: left - 6, y: rowTop + row / 2 + 4, size: 11, anchor: .end)
        }
        writer.line(x1: left, y1: top, x2: left, y2: axisY, stroke: SVGWriter.ink, width: 1)
        return canvasHeight
    }
}
