import Foundation

/// What a password of a real account must be: long enough, not the user name, not a common password.
/// (The demo accounts' `demo2026` is set only by `--demo`, which does not go through here.)
public enum PasswordPolicy {
    public static let minimumLength = 10

    /// Why a password is refused, in Chinese; nil when it is acceptable.
    public static func problem(_ password: String, username: String) -> String? {
        if password.count < minimumLength { return "密码至少\(minimumLength)位" }
        let lower = password.lowercased()
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        if !name.isEmpty, lower.contains(name) { return "密码不能包含用户名" }
        if Set(lower).count < 4 { return "密码过于简单（重复的字符太多）" }
        if isCommon(lower) { return "密码过于常见，容易被猜中，请换一个" }
        return nil
    }

    /// In the list of common passwords, as typed or with the digits and symbols around a common word
    /// removed ("Password2026!" is "password").
    static func isCommon(_ lower: String) -> Bool {
        let list = commonPasswords
        if list.contains(lower) { return true }
        let core = lower.trimmingCharacters(in: CharacterSet.letters.inverted)
        if core.count >= 4, list.contains(core) { return true }
        let letters = lower.filter(\.isLetter)
        return letters.count >= 4 && letters.count * 2 >= lower.count && list.contains(String(letters))
    }

    /// The 10,000 most common passwords (Resources/common-passwords.txt), lower-cased.
    static let commonPasswords: Set<String> = {
        let url = Bundle.module.bundleURL.resolvingSymlinksInPath().appendingPathComponent("Resources/common-passwords.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return fallback }
        let words = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        return words.isEmpty ? fallback : Set(words)
    }()

    /// Should the list file be missing: the worst few.
    static let fallback: Set<String> = ["password", "123456", "12345678", "123456789", "1234567890", "qwerty", "qwertyuiop",
                                        "1qaz2wsx", "admin", "admin123", "welcome", "iloveyou", "woaini1314", "demo2026"]
}
