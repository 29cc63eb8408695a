import Vapor

/// What logging in needs besides the accounts: the password-hashing pool, the throttle, session
/// revocation, and whether cookies are marked Secure. One per application (`configure`).
final class LoginSecurity: Sendable {
    let hashing: PasswordHashing
    let throttle: LoginThrottle
    let sessions: SessionRevocation
    let secureCookies: Bool

    init(hashing: PasswordHashing, throttle: LoginThrottle, sessions: SessionRevocation, secureCookies: Bool) {
        self.hashing = hashing
        self.throttle = throttle
        self.sessions = sessions
        self.secureCookies = secureCookies
    }
}

struct LoginSecurityKey: StorageKey { typealias Value = LoginSecurity }

extension Application {
    var loginSecurity: LoginSecurity {
        if let security = storage[LoginSecurityKey.self] { return security }
        // Not configured (configure sets it first): defaults, on this process's clock.
        let now: @Sendable () -> Date = { Date() }
        let security = LoginSecurity(hashing: PasswordHashing(threads: 1, queueLimit: 8, cost: 12),
                                     throttle: LoginThrottle(store: MemoryThrottleStore(), now: now),
                                     sessions: SessionRevocation(gate: nil, cache: nil, policy: SessionPolicy(), now: now),
                                     secureCookies: false)
        storage[LoginSecurityKey.self] = security
        return security
    }
}

/// Stops the hashing pool's threads with the application.
struct LoginSecurityShutdown: LifecycleHandler {
    func shutdown(_ application: Application) {
        application.storage[LoginSecurityKey.self]?.hashing.shutdown()
    }
}
