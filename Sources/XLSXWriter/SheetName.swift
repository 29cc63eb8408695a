/// Worksheet names as Excel accepts them.
public enum SheetName {
    /// The characters Excel refuses in a sheet name.
    public static let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]

    /// A name Excel accepts, as close to `name` as possible: `[]:*?/\` become `_`, control characters
    /// are dropped, leading and trailing apostrophes and spaces are removed, the result is cut to 31
    /// characters (UTF-16 units, never splitting a character), and an empty result or the reserved
    /// `History` becomes `fallback`.
    public static func sanitize(_ name: String, fallback: String = "Sheet") -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if forbidden.contains(Character(scalar)) {
                scalars.append("_")
            } else if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                continue
            } else {
                scalars.append(scalar)
            }
        }
        var result = trimmed(String(scalars))
        result = truncated(result, toUTF16: SheetLimits.maxSheetNameLength)
        result = trimmed(result)
        if result.isEmpty || result.lowercased() == "history" {
            return fallback == name ? "Sheet" : sanitize(fallback, fallback: "Sheet")
        }
        return result
    }

    /// `name`, or `name (2)`, `name (3)` … (shortened to fit 31 characters) so that it differs,
    /// ignoring case as Excel does, from every name in `taken`.
    public static func unique(_ name: String, among taken: Set<String>) -> String {
        let lowered = Set(taken.map { $0.lowercased() })
        if !lowered.contains(name.lowercased()) { return name }
        var n = 2
        while true {
            let suffix = " (\(n))"
            let base = trimmed(truncated(name, toUTF16: SheetLimits.maxSheetNameLength - suffix.utf16.count))
            let candidate = base + suffix
            if !lowered.contains(candidate.lowercased()) { return candidate }
            n += 1
        }
    }

    /// The name quoted for a formula or defined name: `'汇总表'`, with `'` doubled.
    public static func quoted(_ name: String) -> String {
        "'" + name.replacingAll("'", with: "''") + "'"
    }

    static func trimmed(_ s: String) -> String {
        var characters = Substring(s)
        while let c = characters.first, c == "'" || c.isWhitespace { characters = characters.dropFirst() }
        while let c = characters.last, c == "'" || c.isWhitespace { characters = characters.dropLast() }
        return String(characters)
    }

    /// The longest prefix of whole characters with at most `limit` UTF-16 units.
    static func truncated(_ s: String, toUTF16 limit: Int) -> String {
        if s.utf16.count <= limit { return s }
        var result = ""
        var units = 0
        for character in s {
            let width = character.utf16.count
            if units + width > limit { break }
            result.append(character)
            units += width
        }
        return result
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for c in self {
            if c == target { result += replacement } else { result.append(c) }
        }
        return result
    }
}
