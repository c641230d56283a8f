#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The service manager's end of the notify socket: binds a datagram socket and reads the
/// messages a daemon sends. The tests stand in for systemd with it.
public final class NotifySocketListener: @unchecked Sendable {
    /// What to put in `NOTIFY_SOCKET`.
    public let address: String
    private let fd: Int32

    /// Binds `address`: a file path, or `@name` for an abstract socket.
    public init(address: String) throws {
        var socketAddress = sockaddr_un()
        let bytes = SystemdNotifier.addressBytes(address)
        guard !bytes.isEmpty, bytes.count < MemoryLayout.size(ofValue: socketAddress.sun_path) else {
            throw ListenerError(operation: "bind", code: ENAMETOOLONG)
        }
        #if canImport(Darwin)
        let fd = socket(AF_UNIX, SOCK_DGRAM, 0)
        #else
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw ListenerError(operation: "socket", code: errno) }
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = MemoryLayout.offset(of: \sockaddr_un.sun_path)! + bytes.count + (bytes.first == 0 ? 0 : 1)
        let bound = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(length)) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw ListenerError(operation: "bind", code: code)
        }
        self.fd = fd
        self.address = address
    }

    deinit {
        close(fd)
        if !address.hasPrefix("@") { unlink(address) }
    }

    /// The next message, or nil when none arrives within `timeout` seconds.
    public func receive(timeout: Double) -> String? {
        // A zero timeout would mean "wait forever" to the kernel: wait at least 1 µs.
        let timeout = max(timeout, 0.000_001)
        var wait = timeval(tv_sec: .init(timeout), tv_usec: .init((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    public struct ListenerError: Error, CustomStringConvertible {
        public var operation: String
        public var code: Int32
        public var description: String { "\(operation): \(String(cString: strerror(code)))" }
    }
}
