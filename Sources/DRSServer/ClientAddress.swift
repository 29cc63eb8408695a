import Vapor

/// The proxies whose `X-Forwarded-For` is believed. Anyone can send the header, so an address taken
/// from it unconditionally would let a client choose the address it is throttled and audited under.
struct TrustedProxies: Sendable {
    let addresses: Set<String>

    init(_ addresses: [String]) {
        self.addresses = Set(addresses.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then, reading the
    /// forwarded chain from the right (each trusted hop appended the address it saw), the first
    /// address that is not itself a trusted proxy.
    func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer else { return "-" }
        var address = peer
        var chain = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        while addresses.contains(address), let previous = chain.popLast() {
            address = previous
        }
        return address
    }
}

struct TrustedProxiesKey: StorageKey { typealias Value = TrustedProxies }

extension Request {
    /// Who sent the request, for throttling and the audit trail (`TrustedProxies`).
    var clientAddress: String {
        let trusted = application.storage[TrustedProxiesKey.self] ?? TrustedProxies([])
        return trusted.clientAddress(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor])
    }
}
