public import Foundation
import OPI

#if canImport(Glibc)
    import Glibc
#endif

/// Blocking TCP with OPI's 4-byte length: the bare OPI client the payment benchmark compares the kiosk with, and the hostile
/// terminals of the driver's tests.
public enum FrameSocket {
    /// Runs blocking socket work on a thread of its own, never on the cooperative pool: with two cores that pool has two
    /// threads, and a read that waits for the kiosk's own answer would starve the kiosk of the thread it answers on.
    public static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// A read that waits longer than this fails, so that no test can hang on a peer that never answers.
    static func limitReads(_ fd: Int32, seconds: Int = 10) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    public static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        limitReads(fd)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let done = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard done == 0 else { throw HarnessError("cannot connect to 127.0.0.1:\(port)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    public static func listen(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 4) == 0 else { throw HarnessError("cannot listen on \(port)") }
        return fd
    }

    public static func send(_ fd: Int32, _ payload: Data) throws {
        var frame = Data()
        var length = UInt32(payload.count).bigEndian
        withUnsafeBytes(of: &length) { frame.append(contentsOf: $0) }
        frame.append(payload)
        try frame.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let n = write(fd, buffer.baseAddress! + sent, buffer.count - sent)
                guard n > 0 else { throw HarnessError("write failed") }
                sent += n
            }
        }
    }

    public static func receive(_ fd: Int32) throws -> Data {
        let header = try exactly(fd, 4)
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        return try exactly(fd, length)
    }

    public static func exactly(_ fd: Int32, _ count: Int) throws -> Data {
        var data = Data(count: count)
        var got = 0
        try data.withUnsafeMutableBytes { buffer in
            while got < count {
                let n = read(fd, buffer.baseAddress! + got, count - got)
                guard n > 0 else { throw HarnessError("the connection closed") }
                got += n
            }
        }
        return data
    }

    /// Channel 1 of the bare client: every DeviceRequest answered Success, for each of its outputs.
    public static func answerDeviceRequests(_ listener: Int32) {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            while let frame = try? receive(fd), let request = try? OPIMessage.parse(frame) {
                let outputs = request.root.children("Output").map {
                    OPIElement("Output", ["OutDeviceTarget": $0["OutDeviceTarget"] ?? "", "OutResult": "Success"])
                }
                let answer = OPIMessage(
                    .deviceResponse,
                    [
                        "RequestType": request.requestType, "RequestID": request.requestID,
                        "WorkstationID": request.workstationID, "OverallResult": "Success",
                    ], children: outputs)
                try? send(fd, answer.xml())
            }
            close(fd)
        }
    }
}
