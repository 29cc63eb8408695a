import Foundation

/// Who did something, from where: written into every audit line.
public struct Actor: Sendable, Equatable {
    public var userID: UUID?
    public var username: String
    public var address: String

    public init(userID: UUID?, username: String, address: String) {
        self.userID = userID
        self.username = username
        self.address = address
    }
}
