/// The outcome of an access decision.
public enum Decision: Sendable, Equatable {
    case allow
    case deny(Denial)

    public var isAllowed: Bool { self == .allow }
}

public enum Denial: Sendable, Equatable {
    /// The unit or form is outside the account's scope: to the caller it does not exist (HTTP 404).
    case outOfScope
    /// Within scope, but not the account's to do (HTTP 403), with the reason in Chinese.
    case forbidden(String)
    /// Allowed for the account, but not in the submission's current status (HTTP 409).
    case status(SubmissionStatus)
}
