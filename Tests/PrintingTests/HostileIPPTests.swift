import Foundation
import KioskCore
import Testing

@testable import Printing

#if canImport(Glibc)
    import Glibc
#endif

/// A "printer" that answers Get-Printer-Attributes with whatever a test gives it: garbage, an IPP answer without the
/// attributes asked for, odd values. The reading must come out as unreachable or sane, never a crash.
final class CannedIPPServer: @unchecked Sendable {
    let port: Int
    let fd: Int32

    init(answer: [UInt8]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { throw CocoaError(.fileWriteUnknown) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        _ = length
        let listener = fd
        let head = Array("HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\nContent-Length: \(answer.count)\r\n\r\n".utf8)
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 {
                    // Closed here, not in deinit: a number closed there could be reused by the next test's socket
                    // while this loop still accepts on it, and answer that test with this one's bytes.
                    close(listener)
                    return
                }
                var buffer = [UInt8](repeating: 0, count: 65536)
                _ = read(client, &buffer, buffer.count)
                let reply = head + answer
                _ = reply.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                close(client)
            }
        }
    }

    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
    }

    var uri: String { "ipp://127.0.0.1:\(port)/ipp/print" }
}

@Suite struct HostileIPPTests {
    /// An IPP answer: version 2.0, status ok, request id 1, the operation group with charset and language, then `extra`.
    static func ippAnswer(_ extra: [UInt8] = []) -> [UInt8] {
        func attribute(_ tag: UInt8, _ name: String, _ value: [UInt8]) -> [UInt8] {
            [tag, 0, UInt8(name.utf8.count)] + Array(name.utf8) + [UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
        }
        return [0x02, 0x00, 0x00, 0x00, 0, 0, 0, 1, 0x01] + attribute(0x47, "attributes-charset", Array("utf-8".utf8))
            + attribute(0x48, "attributes-natural-language", Array("en".utf8)) + extra + [0x03]
    }

    static func printerGroup(state: [UInt8], reasons: [String]) -> [UInt8] {
        var group: [UInt8] = [0x04, 0x23, 0x00, 13] + Array("printer-state".utf8) + [0, UInt8(state.count)] + state
        for (index, reason) in reasons.enumerated() {
            let name = index == 0 ? Array("printer-state-reasons".utf8) : []
            let value = Array(reason.utf8)
            group += [0x44, 0, UInt8(name.count)] + name + [UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
        }
        return group
    }

    func read(_ answer: [UInt8]) throws -> PrinterReading {
        let server = try CannedIPPServer(answer: answer)
        var reading = PrinterReading(reachable: false)
        withExtendedLifetime(server) { CUPSQueue.readDevice(server.uri, into: &reading) }
        return reading
    }

    @Test func garbageIsUnreachable() throws {
        #expect(try read(Array("<html>not IPP</html>".utf8)).reachable == false)
        #expect(try read([0x02]).reachable == false)
        #expect(try read([]).reachable == false)
    }

    @Test func anAnswerWithoutTheAttributesIsUnreachable() throws {
        #expect(try read(Self.ippAnswer()).reachable == false)
    }

    @Test func oddValuesStayBounded() throws {
        // A state as a 4-byte enum but an absurd value, and 100 reasons, one of them very long.
        let reasons = ["media-empty-report"] + (0..<99).map { "x-\($0)" } + [String(repeating: "z", count: 300)]
        let reading = try read(Self.ippAnswer(Self.printerGroup(state: [0, 0, 0x7F, 0xFF], reasons: reasons)))
        #expect(reading.reachable)
        #expect(reading.reasons.count == 32, "at most 32 reasons are kept")
        #expect(reading.reasons.allSatisfy { $0.count <= 64 })
        #expect(reading.status.paper == .out)
    }

    @Test func aSaneAnswerReads() throws {
        let reading = try read(Self.ippAnswer(Self.printerGroup(state: [0, 0, 0, 4], reasons: ["media-low-report"])))
        #expect(reading.reachable)
        #expect(reading.state == 4)
        #expect(reading.status == .init(state: .busy, paper: .low))
    }
}
