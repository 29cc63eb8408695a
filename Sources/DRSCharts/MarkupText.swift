/// Text escaped for XML and HTML element content and attribute values: the charts' SVG and the
/// report's HTML use this one escaper.
public enum MarkupText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in XML 1.0.
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                   scalar.value < 0x20, scalar.value != 0x09, scalar.value != 0x0A {
                    out += " "
                } else {
                    out.append(character)
                }
            }
        }
        return out
    }
}
