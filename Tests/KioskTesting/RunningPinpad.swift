import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1
public import Pinpad

#if canImport(Glibc)
    import Glibc
#endif

/// A kiosk-pinpad a test started: channel 0's port, the admin URL, and its folder (stdout and stderr).
public struct RunningPinpad: Sendable {
    public let port: Int
    public let admin: URL
    public let dir: String
    public let pid: pid_t

    /// Sets what the next payments do (see kiosk-pinpad --help).
    public func set(_ settings: PinpadSettings) async throws {
        var request = HTTPClientRequest(url: admin.appendingPathComponent("behaviour").absoluteString)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(settings)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        guard response.status == .noContent else { throw PeerError("kiosk-pinpad: PUT /behaviour → \(response.status)") }
    }

    /// Its books and the messages it refused.
    public func state() async throws -> PinpadState {
        let request = HTTPClientRequest(url: admin.appendingPathComponent("state").absoluteString)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode(PinpadState.self, from: Data(body.readableBytesView))
    }

    /// What it logged.
    public func log() -> String { (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "" }
}
