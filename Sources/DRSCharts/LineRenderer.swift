/// Lines over categories: one dash pattern and marker shape per series, value labels at the points,
/// gaps break the line and print their label just above the axis.
enum LineRenderer {
    static func render(_ chart: LineChart, width: Double, height: Double, idPrefix: String) -> String {
        guard !chart.categories.isEmpty, !chart.series.isEmpty,
              let largest = LargestValue.find(categories: chart.categories, series: chart.series) else {
            return ChartFrame.empty(title: chart.title, kind: "折线图", width: width, height: height, idPrefix: idPrefix)
        }
        var writer = SVGWriter(idPrefix: idPrefix)
        var top = ChartFrame.title(chart.title, into: &writer)
        if chart.series.count > 1 {
            let items = chart.series.enumerated().map { ($0.element.name, ChartFrame.Swatch.line($0.offset)) }
            top = ChartFrame.legend(items, x: ChartFrame.margin, y: top, maxWidth: width - 2 * ChartFrame.margin, into: &writer)
        }
        top = ChartFrame.unit(chart.unit, at: top, into: &writer) + 6

        let plot = Plot(chart, largest: largest, width: width, height: height, top: top)
        plot.drawAxes(chart, into: &writer)
        plot.drawLines(chart, into: &writer)
        // Markers and labels after all lines, so no line crosses a label.
        plot.drawPoints(chart, into: &writer)
        return writer.document(width: width, height: plot.canvasHeight, title: chart.title, description: description(chart, largest: largest))
    }

    /// The chart's text alternative: the period, the series, the largest value and the gaps.
    private static func description(_ chart: LineChart, largest: LargestValue) -> String {
        var description = "折线图：\(chart.title)。\(chart.categories.first ?? "")至\(chart.categories.last ?? "")"
        if chart.series.count > 1 { description += "，\(chart.series.count)个系列" }
        description += "。最大值为\(largest.category)"
        if chart.series.count > 1 { description += "（\(largest.series)）" }
        description += "：\(largest.label)\(chart.unit)。"
        description += ChartFrame.gapNote(LargestValue.gapCount(categories: chart.categories, series: chart.series))
        return description
    }

    /// Where the plot area lies below `top`: room for tick labels on the left, half a value label on
    /// the right, category names (rotated when they do not fit their slot) below.
    private struct Plot {
        let scale: NiceScale
        let tickLabels: [String]
        let left: Double
        let plotWidth: Double
        let slot: Double
        let rotateCategories: Bool
        let canvasHeight: Double
        let baseline: Double
        let span: Double

        init(_ chart: LineChart, largest: LargestValue, width: Double, height: Double, top: Double) {
            scale = NiceScale(maximum: largest.magnitude)
            tickLabels = scale.tickLabels
            let tickLeft = max(36, TextMetrics.maxWidth(tickLabels, fontSize: 10) + 14)
            let valueLabels = chart.series.flatMap { series in chart.categories.indices.map { series.value(at: $0).label } }
            let right = max(ChartFrame.margin, TextMetrics.maxWidth(valueLabels, fontSize: 9.5) / 2 + 4)
            let longestCategory = TextMetrics.maxWidth(chart.categories, fontSize: 11)
            rotateCategories = longestCategory > (width - tickLeft - right) / Double(chart.categories.count) - 4
            left = rotateCategories
                ? BarRenderer.leftForRotatedNames(chart.categories, left: tickLeft, plotRight: width - right)
                : tickLeft
            plotWidth = max(40, width - left - right)
            slot = plotWidth / Double(chart.categories.count)
            let bottom = rotateCategories ? min(longestCategory * 0.72 + 22, height * 0.45) : 26
            let geometryTop = top + 14
            canvasHeight = max(height, geometryTop + 60 + bottom)
            baseline = canvasHeight - bottom
            span = baseline - geometryTop
        }

        func x(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }
        func y(_ value: Double) -> Double { baseline - min(value, scale.top) / scale.top * span }

        /// Grid lines with their tick labels, the axis, and the category names.
        func drawAxes(_ chart: LineChart, into writer: inout SVGWriter) {
            for (tick, label) in zip(scale.ticks, tickLabels) {
                let tickY = y(tick)
                if tick > 0 { writer.line(x1: left, y1: tickY, x2: left + plotWidth, y2: tickY, stroke: SVGWriter.gridInk, width: 0.6) }
                writer.text(label, x: left - 6, y: tickY + 3.5, size: 10, anchor: .end, fill: SVGWriter.mutedInk)
            }
            writer.line(x1: left, y1: baseline, x2: left + plotWidth, y2: baseline, stroke: SVGWriter.ink, width: 1)
            for (index, category) in chart.categories.enumerated() {
                if rotateCategories {
                    writer.text(category, x: x(index) + 4, y: baseline + 12, size: 11, anchor: .end, rotation: -45)
                } else {
                    writer.text(category, x: x(index), y: baseline + 16, size: 11, anchor: .middle)
                }
            }
        }

        /// Each series' line, as one path per run of consecutive published points (a gap ends a run).
        func drawLines(_ chart: LineChart, into writer: inout SVGWriter) {
            for (seriesIndex, series) in chart.series.enumerated() {
                var runs: [[(Double, Double)]] = []
                var current: [(Double, Double)] = []
                for index in chart.categories.indices {
                    if let magnitude = series.value(at: index).plotted {
                        current.append((x(index), y(magnitude)))
                    } else if !current.isEmpty {
                        runs.append(current)
                        current = []
                    }
                }
                if !current.isEmpty { runs.append(current) }
                for run in runs where run.count > 1 {
                    let points = run.enumerated().map { ($0.offset == 0 ? "M" : "L") + SVGWriter.n($0.element.0) + "," + SVGWriter.n($0.element.1) }
                    var path = "<path d=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(LineStyle.stroke(seriesIndex))\" stroke-width=\"2\""
                    if let dash = LineStyle.dash(seriesIndex) { path += " stroke-dasharray=\"\(dash)\"" }
                    writer.raw(path + "/>")
                }
            }
        }

        /// A marker and value label at each published point; a gap's label in the break of the line.
        func drawPoints(_ chart: LineChart, into writer: inout SVGWriter) {
            for (seriesIndex, series) in chart.series.enumerated() {
                let labelBelow = seriesIndex % 2 == 1
                for index in chart.categories.indices {
                    let value = series.value(at: index)
                    if let magnitude = value.plotted {
                        let pointY = y(magnitude)
                        writer.raw(LineStyle.markerElement(seriesIndex, x: x(index), y: pointY))
                        // Below the point only where it clears the axis; else above.
                        let below = labelBelow && pointY + 15 < baseline - 3
                        writer.text(value.label, x: x(index), y: below ? pointY + 15 : pointY - 7, size: 9.5, anchor: .middle, halo: true)
                    } else {
                        writer.text(value.label, x: x(index), y: gapY(series, at: index, chart: chart), size: 9.5, anchor: .middle,
                                    fill: SVGWriter.mutedInk, halo: true)
                    }
                }
            }
        }

        /// In the break of the line: level with the published neighbours (just above the axis without any).
        private func gapY(_ series: ChartSeries, at index: Int, chart: LineChart) -> Double {
            let neighbours = [
                chart.categories.indices.prefix(upTo: index).last { series.value(at: $0).plotted != nil },
                chart.categories.indices.suffix(from: index + 1).first { series.value(at: $0).plotted != nil },
            ].compactMap { $0 }.compactMap { series.value(at: $0).plotted }
            return neighbours.isEmpty ? baseline - 5 : y(neighbours.reduce(0, +) / Double(neighbours.count)) + 3.5
        }
    }
}
