import Foundation
public import HTTP

#if canImport(Glibc)
    import Glibc
#endif

/// A parsed HTTP response.
public struct RawResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    public var text: String { String(decoding: body, as: UTF8.self) }
    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    public func headers(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
    public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
}

/// A deliberately plain HTTP/1.1 client over a POSIX socket, so tests can send any bytes at any pace.
public final class RawClient: @unchecked Sendable {
    // Used by one test thread at a time, except that one thread may send while another receives (the socket allows it).
    public let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port` from `source` (any loopback address: 127.0.0.2 plays another client).
    public init(port: Int, source: String = "127.0.0.1") throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            Glibc.close(fd)
            throw ClientError.connect
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            Glibc.close(fd)
            throw ClientError.connect
        }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    public enum ClientError: Error { case connect, closed, malformed }

    public func close() { Glibc.close(fd) }

    /// Sends all bytes; false when the connection is gone.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    public func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws
        -> RawResponse
    {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        send(Array(head.utf8) + body)
        return try readResponse()
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { throw ClientError.closed }
        buffer += chunk[0..<n]
    }

    func line() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: 10) {
                var l = Array(buffer[..<i])
                if l.last == 13 { l.removeLast() }
                buffer.removeFirst(i + 1)
                return String(decoding: l, as: UTF8.self)
            }
            try fill()
        }
    }

    /// Reads an interim (1xx) response's head and returns its status.
    public func readInterim() throws -> Int {
        let statusLine = try line()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw ClientError.malformed }
        while try !line().isEmpty {}
        return status
    }

    /// Reads one response (Content-Length, chunked, or until the connection closes); `bodyless`: the answer
    /// to HEAD, whose head describes a body that is not sent.
    public func readResponse(bodyless: Bool = false) throws -> RawResponse {
        var statusLine = try line()
        var status = 0
        var headers: [(String, String)] = []
        repeat {
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, let s = Int(parts[1]) else { throw ClientError.malformed }
            status = s
            headers = []
            while true {
                let l = try line()
                if l.isEmpty { break }
                if let c = l.firstIndex(of: ":") {
                    headers.append((String(l[..<c]), String(l[l.index(after: c)...]).trimmingCharacters(in: .whitespaces)))
                }
            }
            if status == 100 { statusLine = try line() }
        } while status == 100
        var body: [UInt8] = []
        let h = { (n: String) in headers.first { $0.0.lowercased() == n }?.1 }
        if bodyless {
        } else if let length = h("content-length").flatMap(Int.init) {
            while buffer.count < length { try fill() }
            body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else if h("transfer-encoding")?.lowercased() == "chunked" {
            while true {
                let size = Int(try line().split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 {
                    _ = try line()
                    break
                }
                while buffer.count < size + 2 { try fill() }
                body += buffer[..<size]
                buffer.removeFirst(size + 2)
            }
        } else if status != 204 && status != 304 {
            while (try? fill()) != nil {}
            body = buffer
            buffer = []
        }
        return RawResponse(status: status, headers: headers, body: body)
    }

    /// True when the server has closed the connection (reads end of file within `seconds`).
    public func isClosedByServer(within seconds: Int) -> Bool {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }
}

/// A monotonic clock the test moves by hand: deadlines and rate limits are checked at exact instants
/// without waiting for them.
public final class ManualMonotonicClock: @unchecked Sendable {
    // `value` is read and written only with `lock` held.
    private let lock = NSLock()
    private var value: Double

    public init(_ start: Double = 1_000) { value = start }

    public var now: Double { lock.withLock { value } }

    public func advance(by seconds: Double) { lock.withLock { value += seconds } }

    public var clock: MonotonicClock { MonotonicClock(now: { self.now }) }
}

extension Dictionary where Key == String, Value == Any {
    public func string(_ k: String) -> String? { self[k] as? String }
    public func object(_ k: String) -> [String: Any]? { self[k] as? [String: Any] }
}
