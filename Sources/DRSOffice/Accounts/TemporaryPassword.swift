import Foundation

/// A temporary password an administrator hands to a user, who must change it at the next login.
public enum TemporaryPassword {
    /// Letters and digits that cannot be confused when read aloud or copied by hand (no 0/o, 1/l/i).
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// 14 random characters (about 80 bits) from the system's secure generator, within the policy.
    public static func make(for username: String) -> String {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let candidate = String((0..<14).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
            if PasswordPolicy.problem(candidate, username: username) == nil { return candidate }
        }
        // Twenty refusals in a row cannot happen in practice; the fixed tail keeps it within the policy.
        return String((0..<10).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] }) + "Qx7#"
    }
}
