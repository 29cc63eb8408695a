/// Builds the SVG text: escaped strings, coordinates with one decimal, one element per line.
struct SVGWriter {
    /// The font list for Chinese text, in order of preference.
    static let fontFamily = "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",\"Microsoft YaHei\",sans-serif"
    static let ink = "#1a1a1a"
    static let mutedInk = "#595959"
    static let gridInk = "#d0d0d0"

    /// Prefix of every `id` in this document: inline SVGs share one HTML id space.
    let idPrefix: String
    private(set) var body = ""

    init(idPrefix: String) { self.idPrefix = idPrefix }

    /// Text escaped for element content and attribute values.
    static func escape(_ text: String) -> String { MarkupText.escape(text) }

    static func n(_ value: Double) -> String { NumberText.coordinate(value) }

    mutating func raw(_ markup: String) { body += markup + "\n" }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil, strokeWidth: Double = 0.6, dash: String? = nil) {
        var element = "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(0, width)))\" height=\"\(Self.n(max(0, height)))\" fill=\"\(fill)\""
        if let stroke { element += " stroke=\"\(stroke)\" stroke-width=\"\(Self.n(strokeWidth))\"" }
        if let dash { element += " stroke-dasharray=\"\(dash)\"" }
        raw(element + "/>")
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        var element = "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\""
        if let dash { element += " stroke-dasharray=\"\(dash)\"" }
        raw(element + "/>")
    }

    enum Anchor: String { case start, middle, end }

    /// A text; `rotation` in degrees about (x, y); `halo` draws a white outline behind the glyphs so
    /// labels stay legible on hatched fills. The halo is a white-stroked copy underneath (hidden from
    /// screen readers) rather than SVG 2 `paint-order`, which older print engines ignore.
    mutating func text(_ content: String, x: Double, y: Double, size: Double = 11, anchor: Anchor = .start, bold: Bool = false, fill: String = SVGWriter.ink, rotation: Double = 0, halo: Bool = false) {
        var element = "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\""
        if anchor != .start { element += " text-anchor=\"\(anchor.rawValue)\"" }
        if bold { element += " font-weight=\"bold\"" }
        if rotation != 0 { element += " transform=\"rotate(\(Self.n(rotation)) \(Self.n(x)) \(Self.n(y)))\"" }
        if halo {
            raw(element + " fill=\"#ffffff\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" aria-hidden=\"true\">" + Self.escape(content) + "</text>")
        }
        raw(element + " fill=\"\(fill)\">" + Self.escape(content) + "</text>")
    }

    /// The whole document around `body`.
    func document(width: Double, height: Double, title: String, description: String) -> String {
        let w = Self.n(width), h = Self.n(height)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
        svg += " role=\"img\" aria-labelledby=\"\(idPrefix)-title \(idPrefix)-desc\" font-family='\(Self.fontFamily)'>\n"
        svg += "<title id=\"\(idPrefix)-title\">\(Self.escape(title))</title>\n"
        svg += "<desc id=\"\(idPrefix)-desc\">\(Self.escape(description))</desc>\n"
        svg += FillStyle.definitions(idPrefix: idPrefix)
        svg += "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        svg += body
        svg += "</svg>\n"
        return svg
    }
}
