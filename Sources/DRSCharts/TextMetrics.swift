/// Estimated text widths: no font is at hand, so Chinese characters count one em, Latin and digits
/// about half. Used only to keep labels apart, so the estimate errs on the wide side.
enum TextMetrics {
    static func width(_ text: String, fontSize: Double) -> Double {
        var ems = 0.0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x2E80...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x3000...0x303F: ems += 1.0
            case 0x2014: ems += 1.0 // "—"
            case 0x30...0x39, 0x2E, 0x2C: ems += 0.56
            default: ems += 0.62
            }
        }
        return ems * fontSize
    }

    static func maxWidth(_ texts: [String], fontSize: Double) -> Double {
        texts.reduce(0) { max($0, width($1, fontSize: fontSize)) }
    }
}
