import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/1.1 server on POSIX sockets: one accepting thread and one thread per connection, each running
/// the parser state machine with the deadlines of `HTTPLimits`. Keep-alive and pipelining are supported;
/// `stop()` stops accepting, lets requests in flight finish and closes idle connections.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    public let limits: HTTPLimits
    private let handler: Handler
    private let log: @Sendable (String) -> Void
    private let state: ServerState

    /// How often blocked threads look at the stop flag.
    static let pollTickMilliseconds: Int32 = 200

    public init(limits: HTTPLimits = .default, log: @escaping @Sendable (String) -> Void, handler: @escaping Handler) {
        self.limits = limits
        self.handler = handler
        self.log = log
        state = ServerState()
    }

    /// Binds `host:port` (port 0: any free port), starts accepting, and returns the bound port.
    public func start(host: String, port: Int) throws -> Int {
        signal(SIGPIPE, SIG_IGN)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var info: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &info)
        guard rc == 0, let first = info else {
            throw ServerError(message: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(info) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { throw ServerError(message: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ServerError(message: "cannot listen on \(host):\(port): \(message)")
        }
        guard listen(fd, 1024) == 0 else {
            close(fd)
            throw ServerError(message: "listen: \(String(cString: strerror(errno)))")
        }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let family = Int32(address.ss_family)
        let boundPort = Int(
            withUnsafePointer(to: &address) { p -> UInt16 in
                if family == AF_INET6 {
                    return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
                }
                return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            })
        state.setListener(fd)
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "eccoe-http-accept"
        thread.start()
        return boundPort
    }

    /// Stops accepting, waits up to `drainTimeoutSeconds` for requests in flight, then returns. Idle
    /// keep-alive connections are closed at their next tick.
    public func stop() {
        state.beginStop()
        let deadline = Monotonic.now() + limits.drainTimeoutSeconds
        while (state.activeConnections > 0 || state.accepting) && Monotonic.now() < deadline {
            usleep(20_000)
        }
    }

    /// Connections open now.
    public var activeConnections: Int { state.activeConnections }

    private func acceptLoop(_ listener: Int32) {
        defer {
            close(listener)
            state.acceptStopped()
        }
        while !state.stopping {
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, HTTPServer.pollTickMilliseconds)
            if ready <= 0 { continue }
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) }
            }
            if fd < 0 { continue }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            guard state.admit(limit: limits.maxConnections) else {
                let body = "The server is busy; please try again in a moment.\n"
                let response = HTTPResponse(
                    status: 503, contentType: "text/plain; charset=utf-8", text: body, headers: [("Retry-After", "5")])
                var bytes = response.head(keepAlive: false, contentLength: body.utf8.count)
                bytes += Array(body.utf8)
                var timeout = timeval(tv_sec: 1, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(fd)
                log("- \"(refused)\" 503 connection limit \(limits.maxConnections) reached")
                continue
            }
            let remote = HTTPServer.describe(address)
            let connection = Connection(fd: fd, remote: remote, server: self)
            let thread = Thread { connection.run() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private static func describe(_ address: sockaddr_storage) -> String {
        var copy = address
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let rc = withUnsafePointer(to: &copy) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo(
                    $0, socklen_t(MemoryLayout<sockaddr_storage>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
            }
        }
        return rc == 0 ? String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown"
    }

    /// One client connection, served on its own thread until it closes.
    private final class Connection: Sendable {
        let fd: Int32
        let remote: String
        let server: HTTPServer

        init(fd: Int32, remote: String, server: HTTPServer) {
            self.fd = fd
            self.remote = remote
            self.server = server
        }

        func run() {
            defer {
                close(fd)
                server.state.release()
            }
            let limits = server.limits
            var parser = HTTPRequestParser(limits: limits)
            var requestStart: Double?
            var idleSince = Monotonic.now()
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let event = parser.next()
                switch event {
                case .request(var request):
                    let started = requestStart ?? Monotonic.now()
                    request.remoteAddress = remote
                    let stopping = server.state.stopping
                    let keepAlive = request.keepAlive && !stopping
                    let response = server.handler(request)
                    let sent = sendResponse(response, keepAlive: keepAlive, headOnly: request.method == "HEAD")
                    let elapsed = (Monotonic.now() - started) * 1000
                    server.log(
                        "\(Timestamp.now().rfc3339) \"\(request.method) \(request.path.prefix(200))\" \(response.status) "
                            + "\(sent.bytes)B \(Int(elapsed * 10) / 10).\(Int(elapsed * 10) % 10)ms")
                    requestStart = parser.hasPartialRequest ? Monotonic.now() : nil
                    idleSince = Monotonic.now()
                    if !keepAlive || !sent.ok { return }
                    continue
                case .expectsContinue:
                    if !write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) { return }
                    continue
                case .failure(let failure):
                    let body = "\(failure.reason)\n"
                    _ = sendResponse(
                        HTTPResponse(status: failure.status, contentType: "text/plain; charset=utf-8", text: body),
                        keepAlive: false, headOnly: false)
                    server.log("\(Timestamp.now().rfc3339) \"(unparsed request)\" \(failure.status) \(failure.reason)")
                    return
                case .needMore:
                    break
                }
                // Wait for bytes, within the request deadline (a request has begun) or the idle timeout.
                let partial = parser.hasPartialRequest
                if partial && requestStart == nil { requestStart = Monotonic.now() }
                let deadline = partial ? requestStart! + limits.requestDeadlineSeconds : idleSince + limits.idleTimeoutSeconds
                let now = Monotonic.now()
                if now >= deadline {
                    if partial {
                        _ = sendResponse(
                            HTTPResponse(
                                status: 408, contentType: "text/plain; charset=utf-8",
                                text: "The request took longer than \(limits.requestDeadlineSeconds) s to arrive.\n"),
                            keepAlive: false, headOnly: false)
                        server.log("\(Timestamp.now().rfc3339) \"(incomplete request)\" 408 deadline")
                    }
                    return
                }
                if server.state.stopping && !partial { return }
                let wait = min(Int32((deadline - now) * 1000) + 1, HTTPServer.pollTickMilliseconds)
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, wait)
                if ready < 0 && errno != EINTR { return }
                if ready <= 0 { continue }
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n == 0 { return }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return
                }
                if !parser.hasPartialRequest { requestStart = Monotonic.now() }
                parser.feed(chunk[0..<n])
            }
        }

        /// Writes a response; false when the client went away or stalled past the write timeout.
        func sendResponse(_ response: HTTPResponse, keepAlive: Bool, headOnly: Bool) -> (ok: Bool, bytes: Int) {
            switch response.body {
            case .bytes(let body):
                var bytes = response.head(keepAlive: keepAlive, contentLength: body.count)
                if !headOnly { bytes += body }
                return (write(bytes), bytes.count)
            case .stream(let produce):
                guard write(response.head(keepAlive: keepAlive, contentLength: nil)) else { return (false, 0) }
                if headOnly { return (write(Array("0\r\n\r\n".utf8)), 0) }
                let sink = ChunkedSink(connection: self)
                do {
                    try produce(sink)
                    try sink.finish()
                    return (true, sink.total)
                } catch {
                    // Headers are gone already: the only honest signal left is to end without the last chunk.
                    server.log("stream failed: \(error)")
                    return (false, sink.total)
                }
            }
        }

        func write(_ bytes: [UInt8]) -> Bool {
            var offset = 0
            let deadline = Monotonic.now() + server.limits.writeTimeoutSeconds
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                }
                if n > 0 {
                    offset += n
                    continue
                }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                    let remaining = deadline - Monotonic.now()
                    if remaining <= 0 { return false }
                    var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&pfd, 1, Int32(min(remaining * 1000, 1000)) + 1)
                    continue
                }
                return false
            }
            return true
        }
    }

    /// Buffers a streamed body into chunks of about 64 KiB.
    private final class ChunkedSink: ByteSink {
        let connection: Connection
        var buffer: [UInt8] = []
        var total = 0

        init(connection: Connection) { self.connection = connection }

        func write(_ bytes: [UInt8]) throws {
            buffer += bytes
            if buffer.count >= 64 * 1024 { try flush() }
        }

        func flush() throws {
            guard !buffer.isEmpty else { return }
            var frame = Array(String(buffer.count, radix: 16).utf8) + [13, 10]
            frame += buffer
            frame += [13, 10]
            total += buffer.count
            buffer.removeAll(keepingCapacity: true)
            guard connection.write(frame) else { throw ServerError(message: "client stopped reading") }
        }

        func finish() throws {
            try flush()
            guard connection.write(Array("0\r\n\r\n".utf8)) else { throw ServerError(message: "client stopped reading") }
        }
    }
}

/// A failure of the server or of writing output, with a message for people.
public struct ServerError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

/// Seconds on a clock that never jumps (deadlines), as opposed to `Timestamp` (wall time, stored).
enum Monotonic {
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

/// The server's shared counters and flags, behind one lock.
private final class ServerState: @unchecked Sendable {
    // Every field is read and written only with `lock` held.
    private let lock = NSLock()
    private var _stopping = false
    private var _active = 0
    private var _accepting = false
    private var listener: Int32 = -1

    var stopping: Bool { lock.withLock { _stopping } }
    var activeConnections: Int { lock.withLock { _active } }
    var accepting: Bool { lock.withLock { _accepting } }

    func setListener(_ fd: Int32) {
        lock.withLock {
            listener = fd; _accepting = true
        }
    }
    func beginStop() { lock.withLock { _stopping = true } }
    func acceptStopped() { lock.withLock { _accepting = false } }

    /// Counts a new connection if under the limit.
    func admit(limit: Int) -> Bool {
        lock.withLock {
            guard _active < limit else { return false }
            _active += 1
            return true
        }
    }

    func release() { lock.withLock { _active -= 1 } }
}
