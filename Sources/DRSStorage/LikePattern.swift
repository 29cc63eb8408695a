/// A search text matched literally by `LIKE … ESCAPE '\'` on both engines: `%`, `_` and `\` in what
/// a user typed are characters, not wildcards.
enum LikePattern {
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// Texts that contain `text`.
    static func containing(_ text: String) -> String { "%" + escaped(text) + "%" }

    /// Texts that start with `text`.
    static func starting(_ text: String) -> String { escaped(text) + "%" }
}
