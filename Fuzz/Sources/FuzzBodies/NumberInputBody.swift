import DRSCore

/// Figures as people type them (full-width digits, separators, 万/亿, percent signs): every text is a
/// number, empty, or a problem with a message; a number written back out reads as the same number.
enum NumberInputBody {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = NumberInput.normalizeWidth(text)
        for allowPercent in [false, true] {
            do {
                if let value = try NumberInput.parse(text, allowPercentSign: allowPercent) {
                    let written = value.description
                    _ = value.grouped
                    let again = try? NumberInput.parse(written)
                    FuzzInvariant.check(again == value, "\(text) → \(written) reads back as \(again.map(\.description) ?? "an error")")
                }
            } catch {
                _ = error.message
                _ = error.code
            }
        }
    }
}
