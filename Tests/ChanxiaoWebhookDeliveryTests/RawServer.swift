import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A TCP server on loopback, scripted below HTTP, for receivers that misbehave in ways an HTTP
/// framework will not: accepting late, reading slowly, resetting, stalling mid-response,
/// streaming a huge body. It counts what reached it, which also makes it the canary of the
/// SSRF tests: a refused send must leave it without a request (and, when refused before
/// connecting, without a connection).
final class RawServer: Sendable {
    enum Reply: Sendable {
        /// A whole response once the request is in, then the connection is closed.
        case answer(status: Int, headers: [String] = [], body: String = "")
        /// Reads the request and never answers.
        case silence
        /// Closes (FIN) without a response once the request is in.
        case close
        /// Resets (RST) without a response once the request is in.
        case reset
        /// Resets as soon as the connection is accepted, before reading anything.
        case resetAtOnce
        /// A 200 head announcing `announced` body bytes, then only `sent` of them, then silence.
        case stall(announced: Int, sent: Int)
        /// A 200 with a body of `bytes`, written only as fast as the client takes it.
        case flood(bytes: Int)
    }

    struct Options: Sendable {
        var reply: Reply
        /// How long connections wait in the kernel's backlog before they are accepted; nil: never.
        var acceptAfter: Duration? = .zero
        /// Reads the request this many bytes at a time, with `readPause` between reads.
        var readChunk: Int?
        var readPause: Duration = .milliseconds(10)
        /// Closes a connection that opens with a TLS handshake rather than an HTTP request.
        var closeOnTLS = false
    }

    struct Tally: Sendable {
        var connections = 0
        var bytesIn = 0
        /// The request line of every complete request.
        var requests: [String] = []
        /// Response bytes the kernel took from the server.
        var bytesOut = 0
        /// Connections that ended, by either side.
        var closed = 0
    }

    /// Taken just before the listeners are bound, so an accept delay ends after this plus the delay.
    let listeningSince = ContinuousClock.now
    private let tally = Mutex(Tally())
    private let channels = Mutex<[any Channel]>([])
    private let listeners = Mutex<[(host: String, channel: any Channel)]>([])

    var seen: Tally { tally.withLock { $0 } }

    /// The port listened on at `host` (the first host by default).
    func port(_ host: String? = nil) -> Int {
        listeners.withLock { listeners in
            (listeners.first { host == nil || $0.host == host } ?? listeners[0]).channel.localAddress?.port ?? 0
        }
    }

    /// Runs `body` with a server listening on a free port of each of `hosts` (or on the Unix
    /// socket of a host that is a path).
    static func serving<Value>(
        _ options: Options,
        on hosts: [String] = ["127.0.0.1"],
        _ body: (RawServer) async throws -> Value
    ) async throws -> Value {
        let server = RawServer()
        do {
            try await server.listen(options, on: hosts)
            let value = try await body(server)
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }

    private func listen(_ options: Options, on hosts: [String]) async throws {
        for host in hosts {
            var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(ChannelOptions.autoRead, value: options.acceptAfter == .zero)
                .childChannelOption(ChannelOptions.autoRead, value: options.readChunk == nil)
                .childChannelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        channels.withLock { $0.append(channel) }
                        try channel.pipeline.syncOperations.addHandler(Connection(options: options, server: self))
                    }
                }
            if let chunk = options.readChunk {
                // One chunk per read call, not the several NIO reads by default.
                bootstrap = bootstrap.childChannelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: chunk))
                    .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 1)
            }
            // A host that is a path is a Unix domain socket.
            let channel =
                host.hasPrefix("/")
                ? try await bootstrap.bind(unixDomainSocketPath: host, cleanupExistingSocketFile: true).get()
                : try await bootstrap.bind(host: host, port: 0).get()
            listeners.withLock { $0.append((host, channel)) }
            // Accepting late: connections complete in the kernel's backlog and wait there.
            if let delay = options.acceptAfter, delay != .zero {
                channel.eventLoop.scheduleTask(in: .nanoseconds(Self.nanoseconds(delay))) {
                    channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
                }
            }
        }
    }

    func stop() async {
        for (host, channel) in listeners.withLock({ $0 }) {
            try? await channel.close()
            if host.hasPrefix("/") { try? FileManager.default.removeItem(atPath: host) }
        }
        for channel in channels.withLock({ $0 }) { try? await channel.close() }
    }

    fileprivate func record(_ change: (inout Tally) -> Void) {
        tally.withLock { change(&$0) }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}

/// One accepted connection: collects the request, then plays its reply.
private final class Connection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let options: RawServer.Options
    let server: RawServer
    private var request: [UInt8] = []
    private var answered = false
    private var floodLeft = 0

    init(options: RawServer.Options, server: RawServer) {
        self.options = options
        self.server = server
    }

    func channelActive(context: ChannelHandlerContext) {
        server.record { $0.connections += 1 }
        if case .resetAtOnce = options.reply {
            reset(context)
            return
        }
        if options.readChunk != nil { context.read() }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        server.record { $0.closed += 1 }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        server.record { $0.bytesIn += buffer.readableBytes }
        request.append(contentsOf: buffer.readableBytesView)
        if options.closeOnTLS, request.first == 0x16 {
            context.close(promise: nil)
            return
        }
        if !answered, let line = Self.completeRequestLine(request) {
            answered = true
            server.record { $0.requests.append(line) }
            reply(context)
        }
        if options.readChunk != nil, context.channel.isActive {
            // Reading slowly: the next read only after a pause.
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(RawServer.nanoseconds(options.readPause))) {
                if context.channel.isActive { context.read() }
            }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        pump(context)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func reply(_ context: ChannelHandlerContext) {
        switch options.reply {
        case .answer(let status, let headers, let body):
            let head = (["HTTP/1.1 \(status) Scripted", "content-length: \(body.utf8.count)", "connection: close"] + headers).joined(
                separator: "\r\n"
            )
            write(context, head + "\r\n\r\n" + body).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .silence, .resetAtOnce:
            break
        case .close:
            context.close(promise: nil)
        case .reset:
            reset(context)
        case .stall(let announced, let sent):
            _ = write(
                context,
                "HTTP/1.1 200 OK\r\ncontent-length: \(announced)\r\ncontent-type: text/plain\r\n\r\n" + String(repeating: "x", count: sent)
            )
        case .flood(let bytes):
            _ = write(context, "HTTP/1.1 200 OK\r\ncontent-length: \(bytes)\r\ncontent-type: application/octet-stream\r\n\r\n")
            floodLeft = bytes
            pump(context)
        }
    }

    /// Writes the flood while the channel is writable: at most the outbound watermark waits
    /// in memory, the rest only as the client reads.
    private func pump(_ context: ChannelHandlerContext) {
        guard floodLeft > 0 else { return }
        let chunk = 64 * 1024
        while floodLeft > 0, context.channel.isWritable {
            let size = min(chunk, floodLeft)
            floodLeft -= size
            let buffer = context.channel.allocator.buffer(repeating: UInt8(ascii: "z"), count: size)
            let server = self.server
            let promise = context.eventLoop.makePromise(of: Void.self)
            promise.futureResult.whenSuccess { server.record { $0.bytesOut += size } }
            context.write(wrapOutboundOut(buffer), promise: promise)
        }
        context.flush()
    }

    private func write(_ context: ChannelHandlerContext, _ text: String) -> EventLoopFuture<Void> {
        let server = self.server
        let count = text.utf8.count
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenSuccess { server.record { $0.bytesOut += count } }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: promise)
        return promise.futureResult
    }

    /// SO_LINGER 0 makes close send RST instead of FIN.
    private func reset(_ context: ChannelHandlerContext) {
        _ = (context.channel as? SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
        context.close(promise: nil)
    }

    /// The request line once the head and the whole body (by content-length) are in.
    static func completeRequestLine(_ bytes: [UInt8]) -> String? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.dropLast(3).first(where: { bytes[$0..<$0 + 4].elementsEqual(separator) }) else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let length =
            lines.dropFirst().compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        return bytes.count - (end + 4) >= length ? lines[0] : nil
    }
}
