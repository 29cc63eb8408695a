/// Text that a spreadsheet would run as a formula, made inert for export (issue #11, finding 9).
///
/// Excel, LibreOffice and Google Sheets treat a CSV field (or a cell being edited) that starts with
/// `=`, `+`, `-` or `@` as a formula, and a leading tab or carriage return can hide one; a unit name
/// such as `=HYPERLINK("http://…")` would then run on the national office's machines. Following
/// OWASP's advice such text gets a leading apostrophe, which spreadsheets show as text. A plain
/// number (`-12.5`, `+3`) is left alone: it is data, not a formula, and must stay a number.
public enum SpreadsheetText {
    /// The characters that make a spreadsheet read a cell as a formula (or hide one).
    static let triggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\n",
                                                "＝", "＋", "－", "＠"]   // full-width forms, which some spreadsheets convert

    /// The text as it may be written into a CSV field or a text cell.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, triggers.contains(first), !isPlainNumber(text) else { return text }
        return "'" + text
    }

    /// `-12.5`, `+3`, `-0.000001`: an optional sign, digits, an optional fraction. Nothing else.
    static func isPlainNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let integer = parts.first, !integer.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return false }
        return parts.allSatisfy { $0.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
    }
}
