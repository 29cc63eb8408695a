import DRSCore

/// Helpers for what filers put in cells: trimming, Excel's number text, Excel's date serials.
enum TypedInput {
    /// The text without leading and trailing white space (including full-width spaces and line breaks).
    static func trimmed(_ text: some StringProtocol) -> String {
        guard let start = text.firstIndex(where: { !$0.isWhitespace }), let end = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[start...end])
    }

    /// Marks people put in a cell that does not apply: `-`, `—`, `——`, `---`, `/`, `／`, `无`.
    static func isPlaceholder(_ text: String) -> Bool {
        let t = trimmed(text)
        if t.isEmpty { return true }
        if t == "无" || t == "/" || t == "／" || t == "\\" { return true }
        return t.allSatisfy { "-－—–─―_".contains($0) }
    }

    /// Excel keeps 15 significant digits of a typed number but may write the binary value's longer
    /// expansion into the file (`12.300000000000001` for 12.3). A number cell's text with more than 15
    /// significant digits is rounded (half up, on its decimal digits: no Double involved) to 15 and
    /// written plainly; any other text is returned unchanged, so messages quote what the file holds.
    static func excelNumberText(_ raw: String) -> String {
        let text = trimmed(raw)
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var exponent = 0
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let x = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)), abs(x) < 400 else { return raw }
            exponent = x
            bytes = bytes[..<e]
        }
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let integerPart = dot.map { bytes[..<$0] } ?? bytes
        let fractionPart = dot.map { bytes[($0 + 1)...] } ?? bytes[bytes.endIndex...]
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        guard !(integerPart.isEmpty && fractionPart.isEmpty), integerPart.allSatisfy(isDigit), fractionPart.allSatisfy(isDigit) else {
            return raw
        }
        var digits = Array(integerPart) + Array(fractionPart)
        // The decimal point sits after `point` digits.
        var point = integerPart.count + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            point -= 1
        }
        guard digits.count > 15 else { return raw }
        let roundUp = digits[15] >= UInt8(ascii: "5")
        digits = Array(digits[..<15])
        if roundUp {
            var i = digits.count - 1
            while i >= 0 {
                if digits[i] == UInt8(ascii: "9") {
                    digits[i] = UInt8(ascii: "0")
                    i -= 1
                } else {
                    digits[i] += 1
                    break
                }
            }
            if i < 0 {
                digits.insert(UInt8(ascii: "1"), at: 0)
                point += 1
            }
        }
        while let last = digits.last, last == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
        guard point <= 40, point >= -40 else { return raw }
        var out = ""
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
        } else if point >= digits.count {
            out = String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: point - digits.count)
        } else {
            out = String(decoding: digits[..<point], as: UTF8.self) + "." + String(decoding: digits[point...], as: UTF8.self)
        }
        return negative ? "-" + out : out
    }

    /// A number cell's text as plain decimal text (`1.10108001001E+11` → `110108001001`), or the text
    /// itself when it is not a number NumberInput accepts.
    static func plainNumberText(_ raw: String) -> String {
        let text = excelNumberText(raw)
        if let value = try? NumberInput.parse(text) { return value.description }
        return trimmed(raw)
    }

    /// The calendar date of a date cell: an Excel serial number (days since 1899-12-30 in the 1900
    /// date system, where 60 is Excel's 29 February 1900; days since 1904-01-01 with `date1904`; the
    /// fraction, a time of day, is ignored) or ISO 8601 text (`2025-01-01`, `2025-01-01T08:00:00`).
    static func date(fromSerial raw: String, date1904: Bool = false) -> (year: Int, month: Int, day: Int)? {
        let text = trimmed(raw)
        if text.count >= 10, text.contains("-") {
            let parts = text.prefix(10).split(separator: "-")
            if parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), (1...31).contains(d) {
                return (y, m, d)
            }
            return nil
        }
        let integerText = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        guard let serial = Int(integerText), serial >= (date1904 ? 0 : 1), serial < 2_958_466 else { return nil }
        let days: Int
        if date1904 {
            days = serial - 24107  // 1904-01-01 is 24,107 days before 1970-01-01
        } else {
            if serial == 60 { return (1900, 2, 29) }
            // Serial 25569 is 1970-01-01; serials below 60 are one day off (Excel's leap day 1900).
            days = (serial < 60 ? serial + 1 : serial) - 25569
        }
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func dateText(fromSerial raw: String, date1904: Bool = false) -> String? {
        guard let d = date(fromSerial: raw, date1904: date1904) else { return nil }
        return "\(d.year)-\(twoDigits(d.month))-\(twoDigits(d.day))"
    }

    static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A formula as people see it: with its `=`.
    static func formulaText(_ formula: String) -> String {
        let t = trimmed(formula)
        return t.hasPrefix("=") ? t : "=" + t
    }
}

/// How a figure typed by a filer becomes an exact decimal, with the reason when it cannot.
enum FigureInput {
    struct Problem: Error {
        var code: String
        var message: String
    }

    /// Parses a figure; nil for an empty cell. `percent`: the row's unit is %, so `45%` is accepted.
    static func parse(_ text: String, percent: Bool, allowNegative: Bool) throws(Problem) -> ExactDecimal? {
        let value: ExactDecimal?
        do {
            value = try NumberInput.parse(text, allowPercentSign: percent)
        } catch {
            throw Problem(code: error.code, message: error.message)
        }
        if let value, value.isNegative, !allowNegative {
            throw Problem(code: "negative", message: "「\(TypedInput.trimmed(text))」是负数，本项不能填负数")
        }
        return value
    }
}
