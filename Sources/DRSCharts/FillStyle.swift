/// Fills and strokes that stay distinct in greyscale print: each series differs by pattern and by
/// luminance, never by hue alone. The blues are for the screen; their lightness steps apart.
enum FillStyle {
    static let count = 5

    /// Fill for series `index` (cycles after five): solid dark, light, diagonal hatch, dots, cross-hatch.
    static func fill(_ index: Int, idPrefix: String) -> String {
        "url(#\(idPrefix)-fill\(((index % count) + count) % count))"
    }

    /// Fill for space whose value is withheld.
    static func gap(idPrefix: String) -> String { "url(#\(idPrefix)-gap)" }

    /// Whether text printed on fill `index` should be white (dark fills).
    static func isDark(_ index: Int) -> Bool { ((index % count) + count) % count == 0 }

    static let outline = "#1a1a1a"

    static func definitions(idPrefix p: String) -> String {
        let open = "patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\""
        return """
        <defs>
        <pattern id="\(p)-fill0" \(open)><rect width="6" height="6" fill="#1f3b5c"/></pattern>
        <pattern id="\(p)-fill1" \(open)><rect width="6" height="6" fill="#b4c7dc"/></pattern>
        <pattern id="\(p)-fill2" \(open)><rect width="6" height="6" fill="#ffffff"/><path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#2b4f7a" stroke-width="1.4"/></pattern>
        <pattern id="\(p)-fill3" \(open)><rect width="6" height="6" fill="#f2f5f9"/><circle cx="1.5" cy="1.5" r="1.1" fill="#1f3b5c"/><circle cx="4.5" cy="4.5" r="1.1" fill="#1f3b5c"/></pattern>
        <pattern id="\(p)-fill4" \(open)><rect width="6" height="6" fill="#7f96b2"/><path d="M0,0 l6,6 M6,0 l-6,6" stroke="#10243a" stroke-width="0.9"/></pattern>
        <pattern id="\(p)-gap" \(open)><rect width="6" height="6" fill="#ffffff"/><path d="M0,0 l6,6 M6,0 l-6,6" stroke="#a6a6a6" stroke-width="0.6"/></pattern>
        </defs>

        """
    }
}

/// Line styles: each series has its own dash array and marker shape, and a darkness step.
enum LineStyle {
    static let count = 4
    static let strokes = ["#1f3b5c", "#1a1a1a", "#4f6f94", "#5a5a5a"]
    static let dashes: [String?] = [nil, "7 4", "2 3", "9 3 2 3"]

    enum Marker { case circle, square, triangle, diamond }
    static let markers: [Marker] = [.circle, .square, .triangle, .diamond]

    static func slot(_ index: Int) -> Int { ((index % count) + count) % count }
    static func stroke(_ index: Int) -> String { strokes[slot(index)] }
    static func dash(_ index: Int) -> String? { dashes[slot(index)] }
    static func marker(_ index: Int) -> Marker { markers[slot(index)] }

    /// A marker centred on (x, y); series after the first four get a hollow marker.
    static func markerElement(_ index: Int, x: Double, y: Double) -> String {
        let n = SVGWriter.n
        let fill = index < count ? stroke(index) : "#ffffff"
        let paint = "fill=\"\(fill)\" stroke=\"\(stroke(index))\" stroke-width=\"1\""
        switch marker(index) {
        case .circle:
            return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3.5\" \(paint)/>"
        case .square:
            return "<rect x=\"\(n(x - 3.2))\" y=\"\(n(y - 3.2))\" width=\"6.4\" height=\"6.4\" \(paint)/>"
        case .triangle:
            return "<path d=\"M\(n(x)),\(n(y - 4.2)) L\(n(x + 4)),\(n(y + 3)) L\(n(x - 4)),\(n(y + 3)) Z\" \(paint)/>"
        case .diamond:
            return "<path d=\"M\(n(x)),\(n(y - 4.5)) L\(n(x + 4.5)),\(n(y)) L\(n(x)),\(n(y + 4.5)) L\(n(x - 4.5)),\(n(y)) Z\" \(paint)/>"
        }
    }
}
