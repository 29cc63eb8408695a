/// Draws charts as self-contained SVG 1.1 text for the print-ready report.
///
/// The output is deterministic (same chart, same bytes), carries `role="img"`, a `<title>` and a
/// `<desc>` summarising the data, uses no script or external resource, and stays legible in greyscale
/// (series differ by fill pattern, dash array and marker shape). Coordinates have at most one decimal.
/// A chart with no categories or no published value shows "无可公布数据".
public enum SVGChart {
    /// The SVG text for `chart` on a `width` × `height` canvas (clamped to 200…4000 and 120…4000).
    ///
    /// Horizontal bar charts grow taller than `height` when their categories need it (at least 18 px
    /// a row). `idPrefix` names the pattern and title ids; by default it is derived from the chart, so
    /// different charts inlined into one HTML page do not share ids.
    public static func render(_ chart: Chart, width: Int = 640, height: Int = 360, idPrefix: String? = nil) -> String {
        let canvasWidth = Double(min(max(width, 200), 4000))
        let canvasHeight = Double(min(max(height, 120), 4000))
        let prefix = idPrefix.map(sanitisedPrefix) ?? derivedPrefix(chart)
        switch chart {
        case .bar(let bars):
            return BarRenderer.render(bars, width: canvasWidth, height: canvasHeight, idPrefix: prefix)
        case .line(let lines):
            return LineRenderer.render(lines, width: canvasWidth, height: canvasHeight, idPrefix: prefix)
        case .stackedShare(let shares):
            return StackedShareRenderer.render(shares, width: canvasWidth, height: canvasHeight, idPrefix: prefix)
        case .tileMap(let map):
            return TileMapRenderer.render(map, width: canvasWidth, height: canvasHeight, idPrefix: prefix)
        }
    }

    /// "drs-" and 8 hex digits of FNV-1a over the chart's description: stable across runs.
    static func derivedPrefix(_ chart: Chart) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in String(describing: chart).utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let hex = String(hash, radix: 16)
        return "drs-" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    /// Keeps only characters valid in an XML id; never empty.
    static func sanitisedPrefix(_ prefix: String) -> String {
        let kept = prefix.unicodeScalars.filter { scalar in
            (scalar.value >= 0x30 && scalar.value <= 0x39) || (scalar.value >= 0x41 && scalar.value <= 0x5A)
                || (scalar.value >= 0x61 && scalar.value <= 0x7A) || scalar == "-" || scalar == "_"
        }
        let text = String(String.UnicodeScalarView(kept))
        guard let first = text.unicodeScalars.first, !(first.value >= 0x30 && first.value <= 0x39), first != "-" else {
            return "c" + text
        }
        return text
    }
}
