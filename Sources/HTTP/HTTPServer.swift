import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/1.1 server on POSIX sockets: one accepting thread and one thread per connection, each running
/// the parser state machine with the deadlines and caps of `HTTPLimits`, measured on an injected
/// `MonotonicClock`. Keep-alive and pipelining are supported; `stop()` stops accepting, lets requests in
/// flight finish and closes idle connections. Every answer, the server's own refusals included, carries
/// `standardHeaders`.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    public let limits: HTTPLimits
    let clock: MonotonicClock
    /// Headers every response gets unless it sets the same field (security headers, caching policy).
    let standardHeaders: [(String, String)]
    private let handler: Handler
    private let log: @Sendable (String) -> Void
    fileprivate let state: ServerState
    /// How long a blocked thread waits before looking at the clock and the stop flag again, in milliseconds.
    let tickMilliseconds: Int32

    /// - Parameters:
    ///   - clock: measures every deadline and timeout (tests pass one they advance by hand).
    ///   - tick: how often a waiting thread looks at `clock` and the stop flag, in seconds (the lateness of a
    ///     deadline at most).
    ///   - log: one line per request and per refusal (no time stamp: the caller adds its own).
    public init(
        limits: HTTPLimits = .default, clock: MonotonicClock = .system, standardHeaders: [(String, String)] = [],
        tick: Double = 0.2, log: @escaping @Sendable (String) -> Void, handler: @escaping Handler
    ) {
        self.limits = limits
        self.clock = clock
        self.standardHeaders = standardHeaders
        self.handler = handler
        self.log = log
        tickMilliseconds = Int32(max(1, min(1000, tick * 1000)))
        state = ServerState(limits: limits)
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
        state.setAccepting()
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "eccoe-http-accept"
        thread.start()
        return boundPort
    }

    /// Stops accepting, waits up to `drainTimeoutSeconds` (on the system clock, whatever `clock` does) for
    /// requests in flight, then returns. Idle connections close at their next tick.
    public func stop() {
        state.beginStop()
        let deadline = MonotonicClock.system.now() + limits.drainTimeoutSeconds
        while (state.activeConnections > 0 || state.accepting) && MonotonicClock.system.now() < deadline {
            usleep(10_000)
        }
    }

    /// Connections open now.
    public var activeConnections: Int { state.activeConnections }

    /// Connections open now from `address`.
    public func connections(from address: String) -> Int { state.connections(from: address) }

    /// Bytes of unanswered requests held now (all connections).
    public var bufferedBytes: Int { state.bufferedBytes }

    private func acceptLoop(_ listener: Int32) {
        defer {
            close(listener)
            state.acceptStopped()
        }
        while !state.stopping {
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, tickMilliseconds)
            if ready <= 0 { continue }
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) }
            }
            if fd < 0 {
                // Out of file descriptors (or another transient failure): wait a tick rather than spin.
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                    usleep(UInt32(tickMilliseconds) * 1000)
                }
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let remote = HTTPServer.describe(address)
            switch state.admit(fd: fd, address: remote) {
            case .refused(let status, let reason):
                // One non-blocking write of the answer: a client that does not read cannot hold this thread.
                let response = HTTPResponse.text(
                    status,
                    status == 429
                        ? "Too many connections from your address; please try again in a moment.\n"
                        : "The server is busy; please try again in a moment.\n", headers: [("Retry-After", "5")])
                let bytes = frame(response, method: "GET", version: "HTTP/1.1", keepAlive: false)
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                close(fd)
                log("- \"(refused)\" \(status) \(reason)")
            case .admitted(let id, let evicted):
                if evicted { log("- \"(idle connection closed)\" to make room") }
                // The clock is read here, not in the new thread, so a connection accepted before another is
                // also timed from before it.
                let connection = Connection(id: id, fd: fd, remote: remote, openedAt: clock.now(), server: self)
                let thread = Thread { connection.run() }
                thread.stackSize = 1 << 20
                thread.start()
            }
        }
    }

    /// A whole response with a body given as bytes, framed for a request.
    fileprivate func frame(_ response: HTTPResponse, method: String, version: String, keepAlive: Bool) -> [UInt8] {
        var body: [UInt8] = []
        if case .bytes(let b) = response.body { body = b }
        let framing = ResponseFraming(
            status: response.status, bodyLength: body.count, streamed: false, method: method, version: version,
            requestKeepAlive: keepAlive)
        var bytes = framing.head(for: response, standard: standardHeaders)
        if case .contentLength = framing.body { bytes += body }
        return bytes
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
        let id: ConnectionTable.ID
        let fd: Int32
        let remote: String
        let openedAt: Double
        let server: HTTPServer

        init(id: ConnectionTable.ID, fd: Int32, remote: String, openedAt: Double, server: HTTPServer) {
            self.id = id
            self.fd = fd
            self.remote = remote
            self.openedAt = openedAt
            self.server = server
        }

        func run() {
            let limits = server.limits
            let clock = server.clock
            var parser = HTTPRequestParser(limits: limits)
            var timer = ConnectionTimer(limits: limits, openedAt: openedAt)
            var accounted = 0
            defer {
                server.state.close(id, fd: fd, buffered: accounted)
            }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                switch parser.next() {
                case .request(var request):
                    let started = timer.requestStartedAt ?? clock.now()
                    request.remoteAddress = remote
                    let keepAlive = request.keepAlive && !server.state.stopping
                    let large = request.body.count >= limits.largeBodyBytes
                    if large { server.state.largeRequests.wait() }
                    let response = server.handler(request)
                    if large { server.state.largeRequests.signal() }
                    // The next phase is timed from before the answer leaves: the client cannot see the answer
                    // (and a test cannot move the clock) before this instant.
                    let answeredAt = clock.now()
                    let sent = send(response, to: request, keepAlive: keepAlive)
                    let elapsed = (clock.now() - started) * 1000
                    server.log(
                        "\"\(request.method) \(request.path.prefix(200))\" \(response.status) \(sent.bytes)B "
                            + "\(Int(elapsed * 10) / 10).\(Int(elapsed * 10) % 10)ms")
                    // Closing gives back the share accounted so far: no need to account before returning.
                    if !sent.keepAlive || !sent.ok { return }
                    timer.answered(at: answeredAt, partial: parser.hasPartialRequest)
                    server.state.account(&accounted, now: parser.bufferedBytes, mark: timer.isReceiving ? nil : (id, .idle))
                    continue
                case .expectsContinue:
                    if !write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) { return }
                    continue
                case .failure(let failure):
                    _ = write(
                        server.frame(
                            .text(failure.status, "\(failure.reason)\n"), method: "GET", version: "HTTP/1.1", keepAlive: false))
                    server.log("\"(unparsed request)\" \(failure.status) \(failure.reason)")
                    server.state.account(&accounted, now: 0)  // the parser let go of everything; so do we, before lingering
                    lingeringClose()
                    return
                case .needMore:
                    break
                }
                // Wait for bytes until the deadline of the connection's phase (first byte, idle, request). A
                // request past its deadline gets 408 whatever is still coming; a connection past its first-byte
                // or idle deadline is closed only if no byte is waiting (this thread may have been slow to look).
                let now = clock.now()
                let expired = now >= timer.deadline
                if expired && timer.isReceiving {
                    _ = write(
                        server.frame(
                            .text(408, "The request took longer than \(limits.requestDeadlineSeconds) s to arrive.\n"),
                            method: "GET", version: "HTTP/1.1", keepAlive: false))
                    server.log("\"(incomplete request)\" 408 deadline")
                    server.state.account(&accounted, now: 0)
                    lingeringClose()
                    return
                }
                if server.state.stopping && !timer.isReceiving { return }
                let wait = expired ? 0 : min(Int32(min((timer.deadline - now) * 1000, 1e6)) + 1, server.tickMilliseconds)
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, wait)
                if ready < 0 && errno != EINTR { return }
                if ready <= 0 {
                    if expired { return }
                    continue
                }
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n == 0 { return }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return
                }
                let wasIdle = !timer.isReceiving
                if wasIdle { timer.bytesArrived(at: clock.now()) }
                parser.feed(chunk[0..<n])
                if !server.state.account(&accounted, now: parser.bufferedBytes, mark: wasIdle ? (id, .busy) : nil) {
                    _ = write(
                        server.frame(
                            .text(503, "The server is busy; please try again in a moment.\n", headers: [("Retry-After", "5")]),
                            method: "GET", version: "HTTP/1.1", keepAlive: false))
                    server.log("\"(request refused)\" 503 \(limits.maxBufferedBytes) bytes of requests held")
                    return
                }
            }
        }

        /// After an error answer, stops sending and reads (and drops) what the client is still sending, for a
        /// few ticks and at most 64 KiB: closing with unread bytes would reset the connection, and the client
        /// could lose the answer that explains why (RFC 9112 §9.6).
        func lingeringClose() {
            shutdown(fd, Int32(SHUT_WR))
            var drained = 0
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            for _ in 0..<5 {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, server.tickMilliseconds) > 0 else { continue }
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                drained += n
                if drained >= 64 * 1024 { return }
            }
        }

        /// Writes a response framed for its request; false when the client went away or stalled past the
        /// write timeout. `keepAlive` comes back false when the framing needs the connection closed.
        func send(_ response: HTTPResponse, to request: HTTPRequest, keepAlive: Bool) -> (ok: Bool, bytes: Int, keepAlive: Bool) {
            switch response.body {
            case .bytes:
                let bytes = server.frame(response, method: request.method, version: request.version, keepAlive: keepAlive)
                return (write(bytes), bytes.count, keepAlive)
            case .stream(let produce):
                let framing = ResponseFraming(
                    status: response.status, bodyLength: nil, streamed: true, method: request.method, version: request.version,
                    requestKeepAlive: keepAlive)
                guard write(framing.head(for: response, standard: server.standardHeaders)) else { return (false, 0, false) }
                let chunked: Bool
                switch framing.body {
                case .chunked: chunked = true
                case .untilClose: chunked = false
                case .none, .contentLength: return (true, 0, framing.keepAlive)
                }
                let sink = StreamSink(connection: self, chunked: chunked)
                do {
                    try produce(HTTPBodyWriter { try sink.write($0) })
                    try sink.finish()
                    return (true, sink.total, framing.keepAlive)
                } catch {
                    // The head is gone already: the only honest signal left is to end without the last chunk.
                    server.log("stream failed: \(error)")
                    return (false, sink.total, false)
                }
            }
        }

        func write(_ bytes: [UInt8]) -> Bool {
            var offset = 0
            let clock = server.clock
            let deadline = clock.now() + server.limits.writeTimeoutSeconds
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                }
                if n > 0 {
                    offset += n
                    continue
                }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                    let remaining = deadline - clock.now()
                    if remaining <= 0 { return false }
                    var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&pfd, 1, min(Int32(min(remaining * 1000, 1e6)) + 1, server.tickMilliseconds))
                    continue
                }
                return false
            }
            return true
        }
    }

    /// Buffers a streamed body into writes of about 64 KiB, as chunks (HTTP/1.1) or plain bytes (HTTP/1.0).
    private final class StreamSink {
        let connection: Connection
        let chunked: Bool
        var buffer: [UInt8] = []
        var total = 0

        init(connection: Connection, chunked: Bool) {
            self.connection = connection
            self.chunked = chunked
        }

        func write(_ bytes: [UInt8]) throws {
            buffer += bytes
            if buffer.count >= 64 * 1024 { try flush() }
        }

        func flush() throws {
            guard !buffer.isEmpty else { return }
            var frame: [UInt8] = []
            if chunked {
                frame = Array(String(buffer.count, radix: 16).utf8) + [13, 10]
                frame += buffer
                frame += [13, 10]
            } else {
                frame = buffer
            }
            total += buffer.count
            buffer.removeAll(keepingCapacity: true)
            guard connection.write(frame) else { throw ServerError(message: "client stopped reading") }
        }

        func finish() throws {
            try flush()
            if chunked, !connection.write(Array("0\r\n\r\n".utf8)) { throw ServerError(message: "client stopped reading") }
        }
    }
}

/// A failure of the server or of writing output, with a message for people.
public struct ServerError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

/// The deadline a connection is waiting against, by phase: a new connection's first byte
/// (`firstByteTimeoutSeconds`, then closed without an answer), an idle keep-alive connection's next request
/// (`idleTimeoutSeconds`, likewise), or the rest of a request that has begun (`requestDeadlineSeconds`, then
/// 408). A pure value: tests drive it with plain numbers.
public struct ConnectionTimer: Sendable, Equatable {
    public enum Phase: Sendable, Equatable { case awaitingFirstByte, idle, receiving }

    public private(set) var phase: Phase
    /// When the phase began.
    public private(set) var since: Double
    let limits: HTTPLimits

    public init(limits: HTTPLimits, openedAt: Double) {
        self.limits = limits
        phase = .awaitingFirstByte
        since = openedAt
    }

    public var isReceiving: Bool { phase == .receiving }
    public var requestStartedAt: Double? { phase == .receiving ? since : nil }

    /// When the connection is given up if nothing changes.
    public var deadline: Double {
        switch phase {
        case .awaitingFirstByte: since + limits.firstByteTimeoutSeconds
        case .idle: since + limits.idleTimeoutSeconds
        case .receiving: since + limits.requestDeadlineSeconds
        }
    }

    /// The status to answer with when the deadline passes (nil: close without answering).
    public var expiryStatus: Int? { phase == .receiving ? 408 : nil }

    /// The first byte of a request arrived (an empty line before a request line counts).
    public mutating func bytesArrived(at now: Double) {
        if phase != .receiving {
            phase = .receiving
            since = now
        }
    }

    /// A request was answered; `partial`: bytes of the next one are already in (pipelining), so its
    /// deadline starts now.
    public mutating func answered(at now: Double, partial: Bool) {
        phase = partial ? .receiving : .idle
        since = now
    }
}

/// The server's shared state behind one mutex: the connection table, the bytes held, the stop flag.
private final class ServerState: Sendable {
    // Sockets are shut down (to evict) only with the mutex held and while their connection is still in the
    // table, and a connection leaves the table before its socket is closed: so a socket number is never shut
    // down after it was closed and reused.
    private struct Shared {
        var table: ConnectionTable
        var sockets: [ConnectionTable.ID: Int32] = [:]
        var buffered = 0
        var accepting = false
    }
    private let shared: Mutex<Shared>
    /// Set once, when the server begins to stop; every connection reads it between requests, so it is an atomic
    /// flag rather than one more turn of the mutex.
    private let stopFlag = Atomic<Bool>(false)
    private let maxBuffered: Int
    /// Turns for handling requests with large bodies (`maxConcurrentLargeRequests`); a semaphore, itself
    /// thread-safe, outside the mutex.
    let largeRequests: DispatchSemaphore

    init(limits: HTTPLimits) {
        shared = Mutex(Shared(table: ConnectionTable(limits: limits)))
        maxBuffered = limits.maxBufferedBytes
        largeRequests = DispatchSemaphore(value: max(1, limits.maxConcurrentLargeRequests))
    }

    var stopping: Bool { stopFlag.load(ordering: .acquiring) }
    var activeConnections: Int { shared.withLock { $0.sockets.count } }
    var accepting: Bool { shared.withLock { $0.accepting } }
    var bufferedBytes: Int { shared.withLock { $0.buffered } }
    func connections(from address: String) -> Int { shared.withLock { $0.table.count(from: address) } }

    func setAccepting() { shared.withLock { $0.accepting = true } }
    func beginStop() { stopFlag.store(true, ordering: .releasing) }
    func acceptStopped() { shared.withLock { $0.accepting = false } }

    enum Admission { case admitted(ConnectionTable.ID, evicted: Bool), refused(Int, String) }

    func admit(fd: Int32, address: String) -> Admission {
        shared.withLock { shared in
            switch shared.table.admit(address: address) {
            case .refused(let status, let reason): return .refused(status, reason)
            case .admitted(let id, let evicting):
                if let evicting, let victim = shared.sockets.removeValue(forKey: evicting) {
                    // Its thread sees end of file, finishes and closes the socket itself.
                    shutdown(victim, Int32(SHUT_RDWR))
                }
                shared.sockets[id] = fd
                return .admitted(id, evicted: evicting != nil)
            }
        }
    }

    /// What a connection is doing, as the connection table tells idle connections (evicted first) from busy ones.
    enum Mark { case busy, idle }

    /// Moves a connection's share of the buffered bytes from `accounted` to `now`, and marks connection `id` busy
    /// or idle (`mark`), in one turn of the mutex (a connection takes it once per read and once per answer); false
    /// (the share unchanged, the mark made) when that would pass the budget.
    @discardableResult
    func account(_ accounted: inout Int, now: Int, mark: (id: ConnectionTable.ID, Mark)? = nil) -> Bool {
        let maxBuffered = self.maxBuffered
        let delta = now - accounted
        let taken = shared.withLock { shared -> Bool in
            switch mark {
            case (let id, .busy)?: shared.table.markBusy(id)
            case (let id, .idle)?: shared.table.markIdle(id)
            case nil: break
            }
            if delta > 0 && shared.buffered + delta > maxBuffered { return false }
            shared.buffered += delta
            return true
        }
        if taken { accounted = now }
        return taken
    }

    func close(_ id: ConnectionTable.ID, fd: Int32, buffered share: Int) {
        shared.withLock { shared in
            shared.table.remove(id)
            shared.sockets.removeValue(forKey: id)
            shared.buffered -= share
        }
        Glibc.close(fd)
    }
}
