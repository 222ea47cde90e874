import Foundation

/// Plain http to another machine: a BSN, a name or a fault would cross the network in clear. Loopback (a local proxy, the
/// demo's central) is not the network.
enum PlainHTTP {
    static func exposes(_ url: URL) -> Bool {
        url.scheme?.lowercased() == "http" && !isLoopback(url.host ?? "")
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
