/// The tile-grid map: one square per province, shaded by value class (light = low, dark = high),
/// with its short name and value label; withheld values hatched, missing ones outlined.
enum TileMapRenderer {
    static func render(_ map: TileMap, width: Double, height: Double, idPrefix: String) -> String {
        let entries = ProvinceTiles.all.map { ($0, lookup(map.values, code: $0.code)) }
        let published = entries.compactMap { entry -> (ProvinceTile, ChartValue, Double)? in
            guard let value = entry.1, let magnitude = value.plotted else { return nil }
            return (entry.0, value, magnitude)
        }
        guard let highest = published.max(by: { $0.2 < $1.2 }) else {
            return ChartFrame.empty(title: map.title, kind: "分省地图", width: width, height: height, idPrefix: idPrefix)
        }
        let classing = TileClasses(values: published.map { $0.2 }, classes: map.classes, method: map.classification)
        let withheld = entries.filter { $0.1 != nil && $0.1?.plotted == nil }.count
        let missing = entries.filter { $0.1 == nil }.count
        var description = "分省地图：\(map.title)。\(published.count)个省份有公布数据，最高为\(highest.0.name)：\(highest.1.label)\(map.unit)"
        if let lowest = published.min(by: { $0.2 < $1.2 }) { description += "，最低为\(lowest.0.name)：\(lowest.1.label)\(map.unit)" }
        description += "。"
        if withheld > 0 { description += "\(withheld)个省份不予公布。" }
        if missing > 0 { description += "\(missing)个省份无数据。" }

        var writer = SVGWriter(idPrefix: idPrefix)
        var top = ChartFrame.title(map.title, into: &writer)
        top = ChartFrame.unit(map.unit, at: top, into: &writer) + 4
        let legendWidth = 130.0
        let available = min(width - 2 * ChartFrame.margin - legendWidth, height - top - ChartFrame.margin)
        let tile = max(16, min(available / Double(ProvinceTiles.columns), available / Double(ProvinceTiles.rows)))
        let mapLeft = ChartFrame.margin
        for (province, value) in entries {
            drawTile(province, value, x: mapLeft + Double(province.column) * tile, y: top + Double(province.row) * tile, tile: tile,
                     classing: classing, idPrefix: idPrefix, into: &writer)
        }
        drawLegend(classing, withheld: withheld > 0, missing: missing > 0,
                   x: mapLeft + Double(ProvinceTiles.columns) * tile + 16, y: top + 4, into: &writer)
        let canvasHeight = max(height, top + tile * Double(ProvinceTiles.rows) + ChartFrame.margin)
        return writer.document(width: width, height: canvasHeight, title: map.title, description: description)
    }

    /// One province's square at (`tileX`, `tileY`): shaded by class, hatched when withheld, outlined
    /// when missing; its short name and value label on it.
    private static func drawTile(_ province: ProvinceTile, _ value: ChartValue?, x tileX: Double, y tileY: Double, tile: Double,
                                 classing: TileClasses, idPrefix: String, into writer: inout SVGWriter) {
        let gap = 3.0
        let side = tile - gap
        var textFill = SVGWriter.ink
        var halo = false
        if let value, let magnitude = value.plotted {
            let shade = classing.shade(of: magnitude)
            writer.rect(x: tileX, y: tileY, width: side, height: side, fill: shade.colour, stroke: FillStyle.outline, strokeWidth: 0.5)
            if shade.dark { textFill = "#ffffff" }
        } else if value != nil {
            writer.rect(x: tileX, y: tileY, width: side, height: side, fill: FillStyle.gap(idPrefix: idPrefix), stroke: SVGWriter.mutedInk, strokeWidth: 0.6)
            halo = true
        } else {
            writer.rect(x: tileX, y: tileY, width: side, height: side, fill: "#ffffff", stroke: SVGWriter.mutedInk, strokeWidth: 0.6, dash: "2 2")
        }
        let nameSize = max(8, side * 0.34)
        let valueSize = max(7, min(side * 0.24, side / max(1, Double((value?.label ?? "—").count)) * 1.6))
        writer.text(province.shortName, x: tileX + side / 2, y: tileY + side * 0.45, size: nameSize, anchor: .middle, bold: true, fill: textFill, halo: halo)
        writer.text(value?.label ?? "—", x: tileX + side / 2, y: tileY + side * 0.8, size: valueSize, anchor: .middle, fill: textFill, halo: halo)
    }

    /// Legend: one swatch per class, then withheld and missing (when there are any).
    private static func drawLegend(_ classing: TileClasses, withheld: Bool, missing: Bool, x legendX: Double, y: Double,
                                   into writer: inout SVGWriter) {
        var legendY = y
        for entry in classing.legend {
            ChartFrame.drawSwatch(.shade(entry.colour), x: legendX, y: legendY, into: &writer)
            writer.text(entry.label, x: legendX + 22, y: legendY + 10, size: 10.5)
            legendY += 18
        }
        if withheld {
            ChartFrame.drawSwatch(.gap, x: legendX, y: legendY, into: &writer)
            writer.text("不予公布", x: legendX + 22, y: legendY + 10, size: 10.5)
            legendY += 18
        }
        if missing {
            ChartFrame.drawSwatch(.blank, x: legendX, y: legendY, into: &writer)
            writer.text("无数据", x: legendX + 22, y: legendY + 10, size: 10.5)
        }
    }

    /// The value for a six-digit code, also found under its two-digit prefix.
    static func lookup(_ values: [String: ChartValue], code: String) -> ChartValue? {
        values[code] ?? values[String(code.prefix(2))]
    }
}

/// Class breaks and grey shades for the tile map.
///
/// Quantile: each class's upper bound is the value at its share of the sorted published values, so
/// classes hold about equally many provinces; bounds are inclusive and repeated bounds merge (fewer
/// classes when values repeat). Nice intervals: 0 to a nice top in equal 1/2/5 × 10^k steps.
struct TileClasses {
    struct LegendEntry { var label: String; var colour: String }
    struct Shade { var colour: String; var dark: Bool }

    /// Inclusive upper bounds, ascending; the last is the maximum.
    let upperBounds: [Double]
    let legend: [LegendEntry]
    private let colours: [String]
    private let darkFrom: Int

    init(values: [Double], classes requested: Int, method: TileMap.Classification) {
        let wanted = min(max(requested, 2), 7)
        let sorted = values.sorted()
        let minimum = sorted.first ?? 0
        let maximum = sorted.last ?? 0
        var bounds: [Double] = []
        var labels: [String] = []
        switch method {
        case .quantile:
            let count = sorted.count
            for index in 1...wanted {
                let position = min(max((index * count + wanted - 1) / wanted - 1, 0), max(count - 1, 0))
                guard sorted.indices.contains(position) else { continue }
                let bound = sorted[position]
                if bounds.last.map({ bound > $0 }) ?? true { bounds.append(bound) }
            }
            let decimals = maximum >= 100 ? 0 : maximum >= 1 ? 1 : 2
            var lower = minimum
            for bound in bounds {
                labels.append(NumberText.fixed(lower, decimals: decimals) + "–" + NumberText.fixed(bound, decimals: decimals))
                lower = bound
            }
        case .niceIntervals:
            let scale = NiceScale(maximum: maximum, targetSteps: wanted)
            let ticks = scale.ticks
            let tickLabels = scale.tickLabels
            for index in 1..<max(ticks.count, 2) where ticks.indices.contains(index) && tickLabels.indices.contains(index) {
                bounds.append(ticks[index])
                labels.append(tickLabels[index - 1] + "–" + tickLabels[index])
            }
        }
        if bounds.isEmpty {
            bounds = [maximum]
            labels = [NumberText.fixed(maximum, decimals: 2, trimZeros: true)]
        }
        upperBounds = bounds
        let levels = bounds.count
        // Lightness from 236 (low) to 40 (high); a single class sits in the middle.
        let greys = (0..<levels).map { index -> Int in
            levels > 1 ? 236 - (196 * index) / (levels - 1) : 140
        }
        colours = greys.map(TileClasses.tint)
        darkFrom = greys.firstIndex { $0 < 120 } ?? levels
        legend = zip(labels, colours).map { LegendEntry(label: $0.0, colour: $0.1) }
    }

    func shade(of value: Double) -> Shade {
        let index = upperBounds.firstIndex { value <= $0 } ?? max(upperBounds.count - 1, 0)
        let colour = colours.indices.contains(index) ? colours[index] : "#8c8c8c"
        return Shade(colour: colour, dark: index >= darkFrom)
    }

    /// A grey of lightness `level`, tinted slightly blue for the screen (luminance stays `level`-ish).
    static func tint(_ level: Int) -> String {
        func hex(_ component: Int) -> String {
            let clamped = min(max(component, 0), 255)
            let digits = String(clamped, radix: 16)
            return digits.count < 2 ? "0" + digits : digits
        }
        return "#" + hex(level - 10) + hex(level - 2) + hex(level + 10)
    }
}
