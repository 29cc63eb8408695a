import DRSCore
import Foundation

/// The bodies of `POST /api/v1/session` (log in) and `POST /api/v1/password`: read by the strict JSON
/// reader and, as the server's `Content` decoding does, by Foundation's JSONDecoder.
enum LoginBodyBody {
    struct Credentials: Decodable { var username: String; var password: String }
    struct PasswordChange: Decodable { var currentPassword: String; var newPassword: String }

    static func run(_ bytes: [UInt8]) {
        if let json = try? JSONValue.parse(bytes: bytes) {
            let username = json["username"]?.stringValue?.trimmingCharacters(in: .whitespaces)
            let password = json["password"]?.stringValue
            _ = (username?.lowercased(), password?.count, password?.contains(where: \.isLetter))
        }
        let data = Data(bytes)
        let decoder = JSONDecoder()
        if let credentials = try? decoder.decode(Credentials.self, from: data) {
            let name = credentials.username.trimmingCharacters(in: .whitespaces)
            _ = credentials.password.lowercased().contains(name.lowercased())
        }
        _ = try? decoder.decode(PasswordChange.self, from: data)
    }
}
