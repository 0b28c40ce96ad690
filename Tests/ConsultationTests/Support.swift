import Foundation
import JSONSyntax
import Testing

@testable import Consultation

#if canImport(Glibc)
    import Glibc
#endif

/// A wall clock the test sets: the opening window is checked to the millisecond without sleeping.
final class ManualClock: @unchecked Sendable {
    // `value` is read and written only with `lock` held.
    private let lock = NSLock()
    private var value: Timestamp

    init(_ t: Timestamp) { value = t }
    var now: Timestamp {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
    var clock: WallClock { WallClock(now: { self.now }) }
}

/// The opening time of the test consultation (the built-in one, opened at a fixed instant).
let testOpensAt = Timestamp(rfc3339: "2026-03-01T09:00:00Z")!

/// A collector on 127.0.0.1 and an ephemeral port, with its own temporary database; stopped by `stop()`.
final class TestCollector: @unchecked Sendable {
    let directory: URL
    let clock: ManualClock
    let store: ConsultationStore
    let app: CollectorApp
    let server: HTTPServer
    let port: Int
    static let analystToken = "analyst-secret-for-tests"

    init(limits: HTTPLimits = HTTPLimits(), rateLimit: Int = 0, definition: ConsultationDefinition? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-collector-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        clock = ManualClock(testOpensAt.adding(seconds: 3600))
        store = try ConsultationStore(
            path: directory.appendingPathComponent("test.sqlite").path,
            definition: definition ?? ConsultationDefinition.builtIn(opensAt: testOpensAt), clock: clock.clock)
        var configuration = CollectorConfiguration()
        configuration.writeRateLimitPerMinute = rateLimit
        configuration.analystTokenHash = Secrets.tokenHash(TestCollector.analystToken)
        app = CollectorApp(store: store, configuration: configuration)
        let app = self.app
        server = HTTPServer(limits: limits, log: { _ in }, handler: { app.handle($0) })
        port = try server.start(host: "127.0.0.1", port: 0)
    }

    var definition: ConsultationDefinition { store.definition }
    var databasePath: String { store.path }

    func stop() {
        server.stop()
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    func client() throws -> RawClient { try RawClient(port: port) }

    /// One request on a fresh connection.
    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> RawResponse {
        let c = try client()
        defer { c.close() }
        return try c.request(method, path, headers: headers, body: body)
    }

    func postJSON(_ path: String, _ json: String, key: String? = nil, token: String? = nil, method: String = "POST") throws
        -> RawResponse
    {
        var headers = [("Content-Type", "application/json")]
        if let key { headers.append(("Idempotency-Key", key)) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try request(method, path, headers: headers, body: Array(json.utf8))
    }
}

/// A parsed HTTP response.
struct RawResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    func headers(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
}

/// A deliberately plain HTTP/1.1 client over a POSIX socket, so tests can send any bytes at any pace.
final class RawClient: @unchecked Sendable {
    // Used by one test thread at a time, except that one thread may send while another receives (the socket allows it).
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
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

    enum ClientError: Error { case connect, closed, malformed }

    func close() { Glibc.close(fd) }

    /// Sends all bytes; false when the connection is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> RawResponse {
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

    private func line() throws -> String {
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

    /// Reads one response (Content-Length, chunked, or until the connection closes).
    func readResponse() throws -> RawResponse {
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
        if let length = h("content-length").flatMap(Int.init) {
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
    func isClosedByServer(within seconds: Int) -> Bool {
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

/// A valid API body for the built-in consultation, varied by `n`.
func validResponseJSON(_ n: Int = 0, comment: String = "Clear and useful.", country: String = "BEL") -> String {
    let rating = n % 5 + 1
    let commentJSON = JSONValue.string(comment).htmlSafeText
    return """
        {"profile": {"capacity": "individual", "stakeholderGroup": "academic",
          "country": "http://publications.europa.eu/resource/authority/country/\(country)", "familiarity": \(n % 5 + 1)},
         "answers": {"MC-01": {"rating": \(rating), "comment": \(commentJSON)}, "MC-02": {"rating": null}, "LO-01": {"rating": 4, "suggestion": "Say \\"must\\"."}},
         "questions": {"credentialSufficient": "partly"},
         "consent": {"privacyVersion": "1", "given": true}}
        """
}

extension Dictionary where Key == String, Value == Any {
    func string(_ k: String) -> String? { self[k] as? String }
    func object(_ k: String) -> [String: Any]? { self[k] as? [String: Any] }
}
