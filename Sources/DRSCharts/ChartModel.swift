/// One plotted value: its magnitude for geometry, and the label printed for it.
///
/// The label is formatted by the caller from exact decimals (e.g. "41.06"), so the chart never
/// re-formats statistics. A value without a magnitude is a gap: not published (suppressed, label "x")
/// or missing (label "—"); it is drawn as a gap carrying its label. Negative or non-finite magnitudes
/// are not expected: they are drawn as 0 (negative) or as a gap (NaN, infinity).
public struct ChartValue: Sendable, Equatable {
    /// The magnitude used for geometry; nil for a gap.
    public var magnitude: Double?
    /// The text printed for this value.
    public var label: String

    /// A published value.
    public init(_ magnitude: Double, label: String) {
        self.magnitude = magnitude
        self.label = label
    }

    /// A gap (no magnitude) printed as `label`.
    public init(gap label: String) {
        self.magnitude = nil
        self.label = label
    }

    /// A value withheld by disclosure control, printed as "x" unless told otherwise.
    public static func suppressed(_ label: String = "x") -> ChartValue { ChartValue(gap: label) }

    /// A value not available, printed as "—" unless told otherwise.
    public static func missing(_ label: String = "—") -> ChartValue { ChartValue(gap: label) }

    /// The magnitude to draw: nil for gaps and non-finite numbers, negatives clamped to 0.
    var plotted: Double? {
        guard let magnitude, magnitude.isFinite else { return nil }
        return max(0, magnitude)
    }
}

/// A named sequence of values, one per category (by position).
///
/// A nil entry, or an entry past the end of a series shorter than the categories, is a missing value
/// drawn as a gap labelled "—".
public struct ChartSeries: Sendable, Equatable {
    public var name: String
    public var values: [ChartValue?]

    public init(name: String, values: [ChartValue?]) {
        self.name = name
        self.values = values
    }

    /// The value for category `index`, a missing value when absent.
    func value(at index: Int) -> ChartValue {
        guard values.indices.contains(index), let value = values[index] else { return .missing() }
        return value
    }
}

/// A chart to draw; `SVGChart.render` turns it into SVG text.
public enum Chart: Sendable, Equatable {
    /// Vertical or horizontal bars, one or more series (grouped), value labels on the bars.
    case bar(BarChart)
    /// One or more series over categories (e.g. years); each series has its own dash pattern and marker.
    case line(LineChart)
    /// 100% stacked horizontal bars: each category's parts as shares, with part labels and a legend.
    case stackedShare(StackedShareChart)
    /// A tile-grid map of the 31 mainland provinces, each tile shaded by its value class.
    case tileMap(TileMap)
}

/// Bars for each category; several series are drawn side by side (grouped).
public struct BarChart: Sendable, Equatable {
    public var title: String
    /// Printed on the value axis, e.g. "亿元"; empty for none.
    public var unit: String
    public var categories: [String]
    public var series: [ChartSeries]
    /// Horizontal bars (categories down the left). Charts with more than 12 categories are drawn
    /// horizontally whatever this says, so that the category names stay legible.
    public var horizontal: Bool

    public init(title: String, unit: String, categories: [String], series: [ChartSeries], horizontal: Bool = false) {
        self.title = title
        self.unit = unit
        self.categories = categories
        self.series = series
        self.horizontal = horizontal
    }
}

/// Lines over categories, one per series; gaps break the line.
public struct LineChart: Sendable, Equatable {
    public var title: String
    public var unit: String
    public var categories: [String]
    public var series: [ChartSeries]

    public init(title: String, unit: String, categories: [String], series: [ChartSeries]) {
        self.title = title
        self.unit = unit
        self.categories = categories
        self.series = series
    }
}

/// 100% stacked bars: `parts[i].values[c]` is the share of part `i` in category `c`, in percent.
///
/// Shares are drawn as given; when the published shares of a category add up to more than 100 they
/// are scaled down to fit. Space left by suppressed parts is drawn hatched with their labels.
public struct StackedShareChart: Sendable, Equatable {
    public var title: String
    public var categories: [String]
    public var parts: [ChartSeries]

    public init(title: String, categories: [String], parts: [ChartSeries]) {
        self.title = title
        self.categories = categories
        self.parts = parts
    }
}

/// A tile-grid map of China's 31 mainland provinces.
public struct TileMap: Sendable, Equatable {
    /// How values are grouped into shading classes.
    public enum Classification: Sendable, Equatable {
        /// Classes holding (about) equally many provinces; suits skewed provincial data.
        case quantile
        /// Equal intervals with "nice" bounds (1, 2 or 5 × 10^k); may yield fewer classes than asked.
        case niceIntervals
    }

    public var title: String
    public var unit: String
    /// Province code (GB/T 2260, "110000" or "11") → value. A province not in the dictionary is
    /// drawn as missing ("—"); a gap value (e.g. `.suppressed()`) is drawn hatched with its label.
    public var values: [String: ChartValue]
    /// Number of shading classes, 2…7 (clamped).
    public var classes: Int
    public var classification: Classification

    public init(title: String, unit: String, values: [String: ChartValue], classes: Int = 5, classification: Classification = .quantile) {
        self.title = title
        self.unit = unit
        self.values = values
        self.classes = classes
        self.classification = classification
    }
}
