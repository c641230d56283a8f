#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The sd_notify protocol, spoken directly: one datagram of `KEY=VALUE` lines to the Unix
/// socket named by `NOTIFY_SOCKET` (a path, or an abstract name written with a leading `@`).
/// Without that variable (not started by systemd with `Type=notify`) every send is a no-op.
public struct SystemdNotifier: Sendable {
    /// The socket address; nil when the service manager listens for nothing.
    public let socketPath: String?
    /// Half the watchdog timeout: how often to send `WATCHDOG=1`; nil when no watchdog is set
    /// for this process.
    public let watchdogInterval: Duration?

    public init(environment: [String: String], pid: Int32 = getpid()) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        // WATCHDOG_PID, when set, names the process the watchdog is meant for.
        let forUs = environment["WATCHDOG_PID"].map { Int32($0) == pid } ?? true
        if path != nil, forUs, let micros = environment["WATCHDOG_USEC"].flatMap(UInt64.init), micros > 0 {
            watchdogInterval = .microseconds(Int64(micros / 2))
        } else {
            watchdogInterval = nil
        }
    }

    public var isActive: Bool { socketPath != nil }

    /// Sends one message; returns whether it went out. Failures are not fatal to the daemon:
    /// the service manager will notice what it did not receive.
    @discardableResult
    public func send(_ fields: [(String, String)]) -> Bool {
        guard let socketPath else { return false }
        let text = fields.map { "\($0.0)=\($0.1)" }.joined(separator: "\n")
        return Self.sendDatagram(Array(text.utf8), to: socketPath)
    }

    public func ready(status: String) { send([("READY", "1"), ("STATUS", status), ("MAINPID", String(getpid()))]) }
    public func status(_ status: String) { send([("STATUS", status)]) }
    public func stopping(status: String) { send([("STOPPING", "1"), ("STATUS", status)]) }
    public func watchdog() { send([("WATCHDOG", "1")]) }

    /// `RELOADING=1` with the monotonic time systemd ≥ 253 asks for (older versions ignore it).
    public func reloading(status: String) {
        send([("RELOADING", "1"), ("STATUS", status), ("MONOTONIC_USEC", String(Self.monotonicMicroseconds()))])
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }

    /// The address bytes of `path`: abstract names start with a NUL instead of `@`.
    static func addressBytes(_ path: String) -> [UInt8] {
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        return bytes
    }

    static func sendDatagram(_ payload: [UInt8], to path: String) -> Bool {
        let pathBytes = addressBytes(path)
        var address = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity else { return false }
        #if canImport(Darwin)
        let fd = socket(AF_UNIX, SOCK_DGRAM, 0)
        #else
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        // Abstract names are exactly as long as given; paths include their terminating NUL.
        let length = MemoryLayout.offset(of: \sockaddr_un.sun_path)! + pathBytes.count + (pathBytes[0] == 0 ? 0 : 1)
        let sent = payload.withUnsafeBytes { body in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, body.baseAddress, body.count, Int32(MSG_NOSIGNAL), $0, socklen_t(length))
                }
            }
        }
        return sent == payload.count
    }
}
