import Foundation
import HTTPTestSupport
import Testing

@testable import HTTP

/// A server on 127.0.0.1 with a hand-moved clock and a small handler, for tests over real sockets.
/// Deadlines pass when the test moves the clock; the test then waits for the server's answer (or its closing
/// of the socket), never for a span of time.
final class TestServer: @unchecked Sendable {
    let clock = ManualMonotonicClock()
    let server: HTTPServer
    let port: Int
    static let standard = [("X-Standard", "yes"), ("Content-Security-Policy", "default-src 'self'")]

    init(limits: HTTPLimits = HTTPLimits()) throws {
        server = HTTPServer(
            limits: limits, clock: clock.clock, standardHeaders: TestServer.standard, tick: 0.005, log: { _ in },
            handler: TestServer.handle)
        port = try server.start(host: "127.0.0.1", port: 0)
    }

    /// `/echo` answers the body; `/stream` streams 3 × 100 KB; `/empty` is 204; anything else "ok".
    static func handle(_ r: HTTPRequest) -> HTTPResponse {
        switch r.path {
        case "/echo": return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: .bytes(r.body))
        case "/stream":
            return HTTPResponse(
                status: 200,
                body: .stream { w in
                    for i in 0..<3 { try w.write(Array(repeating: UInt8(ascii: "a") + UInt8(i), count: 100_000)) }
                })
        case "/empty": return HTTPResponse(status: 204)
        case "/target": return .text(200, r.target)
        default: return .text(200, "ok")
        }
    }

    func client(from source: String = "127.0.0.1") throws -> RawClient { try RawClient(port: port, source: source) }

    func get(_ path: String, from source: String = "127.0.0.1") throws -> RawResponse {
        let c = try client(from: source)
        defer { c.close() }
        return try c.request("GET", path)
    }

    /// One request with `Connection: close`, returning once the server has closed the connection: by then it
    /// has left the server's table, so what follows does not depend on how fast the server's thread ran.
    func getAndAwaitClose(_ path: String, from source: String = "127.0.0.1") throws -> RawResponse {
        let c = try client(from: source)
        defer { c.close() }
        let r = try c.request("GET", path, headers: [("Connection", "close")])
        #expect(c.isClosedByServer(within: 10))
        return r
    }

    func stop() { server.stop() }
}

@Suite(.serialized) struct HTTPServerTests {
    @Test func eachLimitIsAnsweredWithItsStatusAndTheStandardHeaders() throws {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 200
        limits.maxHeaderBytes = 1000
        limits.maxHeaderCount = 10
        limits.maxBodyBytes = 1000
        let s = try TestServer(limits: limits)
        defer { s.stop() }
        let c = try s.client()
        #expect(try c.request("GET", "/" + String(repeating: "x", count: 300)).status == 414)
        for (head, status) in [
            ("GET / HTTP/1.1\r\nHost: h\r\n" + (1...11).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
            ("GET / HTTP/1.1\r\nHost: h\r\nX-Big: \(String(repeating: "v", count: 1200))\r\n\r\n", 431),
            ("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n", 413),
            ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            (String(repeating: "\r\n", count: 600), 431),
        ] {
            let raw = try s.client()
            raw.send(head)
            let r = try raw.readResponse()
            #expect(r.status == status)
            // The parser's own answers carry the standard headers too.
            #expect(r.header("X-Standard") == "yes" && r.header("Content-Security-Policy") == "default-src 'self'")
            #expect(r.header("Connection") == "close")
            #expect(raw.isClosedByServer(within: 5))
            raw.close()
        }
        #expect(try s.get("/").status == 200)
    }

    @Test func aNewConnectionMustSendItsFirstByteInTime() throws {
        var limits = HTTPLimits()
        limits.firstByteTimeoutSeconds = 10
        let s = try TestServer(limits: limits)
        defer { s.stop() }
        let early = try s.client()
        defer { early.close() }
        s.clock.advance(by: 9.9)
        // Still open just before the deadline: a request is served.
        #expect(try early.request("GET", "/").status == 200)
        let silent = try s.client()
        defer { silent.close() }
        // Wait until the server holds it (a request on another connection is answered after it was accepted).
        #expect(try s.get("/").status == 200)
        s.clock.advance(by: 10)
        #expect(silent.isClosedByServer(within: 10), "closed without an answer after the first-byte deadline")
    }

    @Test func aSlowClientGets408AtTheDeadlineWhileOthersAreServed() throws {
        var limits = HTTPLimits()
        limits.requestDeadlineSeconds = 30
        let s = try TestServer(limits: limits)
        defer { s.stop() }
        let slow = try s.client()
        defer { slow.close() }
        // One byte per (clock) second: the deadline runs from the first byte, an empty line counting.
        let head = Array("\r\nPOST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2000\r\n\r\n".utf8)
        for b in head.prefix(29) {
            slow.send([b])
            s.clock.advance(by: 1)
            #expect(try s.get("/").status == 200, "others are served meanwhile")
        }
        // Past the deadline however late the server saw the first byte: 408, and the connection closes.
        s.clock.advance(by: 31)
        let r = try slow.readResponse()
        #expect(r.status == 408 && r.header("X-Standard") == "yes")
        #expect(slow.isClosedByServer(within: 5))
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws {
        var limits = HTTPLimits()
        limits.idleTimeoutSeconds = 30
        let s = try TestServer(limits: limits)
        defer { s.stop() }
        let client = try s.client()
        defer { client.close() }
        #expect(try client.request("GET", "/").status == 200)
        s.clock.advance(by: 29)
        #expect(try client.request("GET", "/").status == 200, "kept alive within the idle timeout")
        s.clock.advance(by: 31)
        #expect(client.isClosedByServer(within: 10))
    }

    /// 127.0.0.2 opens far more connections than its share and holds them idle or half-sent; 127.0.0.1 is
    /// served throughout, and 127.0.0.2 never holds more than `maxConnectionsPerAddress`.
    @Test func oneAddressCannotTakeTheSlotsOthersNeed() throws {
        var limits = HTTPLimits()
        limits.maxConnections = 8
        limits.maxConnectionsPerAddress = 3
        let s = try TestServer(limits: limits)
        defer { s.stop() }
        // Idle sockets beyond its share: each new one takes the place of the attacker's own oldest.
        var idle: [RawClient] = []
        for _ in 0..<20 { idle.append(try s.client(from: "127.0.0.2")) }
        defer { for c in idle { c.close() } }
        #expect(try s.getAndAwaitClose("/", from: "127.0.0.2").status == 200, "the newest is served")
        #expect(s.server.connections(from: "127.0.0.2") <= 3)
        #expect(idle.prefix(16).allSatisfy { $0.isClosedByServer(within: 10) }, "the older idle ones were closed")
        // Three busy (a head sent, the body awaited): the fourth from that address is refused with 429.
        var busy: [RawClient] = []
        for _ in 0..<3 {
            let c = try s.client(from: "127.0.0.2")
            c.send("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            #expect(try c.readInterim() == 100, "the server has read the head: the connection is busy")
            busy.append(c)
        }
        defer { for c in busy { c.close() } }
        let refused = try s.getAndAwaitClose("/", from: "127.0.0.2")
        #expect(refused.status == 429 && refused.header("Retry-After") != nil && refused.header("X-Standard") == "yes")
        // Meanwhile 127.0.0.1 is served, again and again.
        for _ in 0..<20 { #expect(try s.getAndAwaitClose("/").status == 200) }
        // The busy ones finish normally.
        busy[0].send("hello")
        #expect(try busy[0].readResponse().text == "hello")
    }

    @Test func whenEverySlotIsBusyTheAnswerIs503AndAnIdleSlotIsTaken() throws {
        var limits = HTTPLimits()
        limits.maxConnections = 4
        limits.maxConnectionsPerAddress = 2
        let s = try TestServer(limits: limits)
        defer { s.stop() }
        var held: [RawClient] = []
        defer { for c in held { c.close() } }
        for (i, source) in ["127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3"].enumerated() {
            let c = try s.client(from: source)
            // Busy: the server has read the head (it says 100 Continue) and waits for the body.
            c.send(
                "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\(i == 0 ? "Connection: close\r\n" : "")\r\n"
            )
            #expect(try c.readInterim() == 100)
            held.append(c)
        }
        let full = try s.getAndAwaitClose("/", from: "127.0.0.4")
        #expect(full.status == 503 && full.header("Retry-After") != nil && full.header("X-Standard") == "yes")
        // One finishes and closes: three busy, and a silent newcomer holds the fourth slot, idle.
        held[0].send("ok")
        #expect(try held[0].readResponse().status == 200)
        #expect(held[0].isClosedByServer(within: 10))
        let silent = try s.client(from: "127.0.0.5")
        defer { silent.close() }
        // The next newcomer takes the idle slot; the silent one is closed.
        #expect(try s.getAndAwaitClose("/", from: "127.0.0.4").status == 200)
        #expect(silent.isClosedByServer(within: 10))
    }

    @Test func theBytesHeldForUnansweredRequestsAreBounded() throws {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 100_000
        limits.maxBufferedBytes = 10_000
        let s = try TestServer(limits: limits)
        defer { s.stop() }
        let c = try s.client()
        defer { c.close() }
        c.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 50000\r\n\r\n")
        c.send(Array(repeating: 65, count: 20_000))
        let r = try c.readResponse()
        #expect(r.status == 503 && r.header("Retry-After") != nil)
        #expect(c.isClosedByServer(within: 10))
        #expect(s.server.bufferedBytes == 0, "a connection's share is released before its socket closes")
        #expect(try s.get("/").status == 200)
        // A body under the budget passes, and its bytes are released once answered.
        let ok = try s.client()
        defer { ok.close() }
        #expect(try ok.request("POST", "/echo", body: Array(repeating: 66, count: 9_000)).body.count == 9_000)
    }

    /// Requests with large bodies are handled a few at a time; small ones are not held up by them.
    @Test func largeBodiesAreHandledAFewAtATime() throws {
        final class Gauge: @unchecked Sendable {
            // `now` and `most` are guarded by `lock`; `entered` and `gate` are thread-safe.
            let lock = NSLock()
            var now = 0, most = 0
            let entered = DispatchSemaphore(value: 0), gate = DispatchSemaphore(value: 0)
        }
        let gauge = Gauge()
        var limits = HTTPLimits()
        limits.largeBodyBytes = 1000
        limits.maxConcurrentLargeRequests = 2
        let clock = ManualMonotonicClock()
        let server = HTTPServer(limits: limits, clock: clock.clock, tick: 0.005, log: { _ in }) { request in
            guard request.body.count >= 1000 else { return .text(200, "small") }
            gauge.lock.withLock {
                gauge.now += 1
                gauge.most = max(gauge.most, gauge.now)
            }
            gauge.entered.signal()
            gauge.gate.wait()
            gauge.lock.withLock { gauge.now -= 1 }
            return .text(200, "large")
        }
        let port = try server.start(host: "127.0.0.1", port: 0)
        defer { server.stop() }
        let clients = try (0..<3).map { _ in try RawClient(port: port) }
        defer { for c in clients { c.close() } }
        for c in clients {
            c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n")
            c.send(Array(repeating: 65, count: 1000))
        }
        gauge.entered.wait()
        gauge.entered.wait()
        // Two large requests are being handled; a small one is answered meanwhile.
        let small = try RawClient(port: port)
        defer { small.close() }
        #expect(try small.request("GET", "/").text == "small")
        for _ in 0..<3 { gauge.gate.signal() }
        for c in clients { #expect(try c.readResponse().text == "large") }
        #expect(gauge.lock.withLock { gauge.most } == 2)
    }

    @Test func rfc9112ConformancePoints() throws {
        let s = try TestServer()
        defer { s.stop() }
        // HEAD: the GET answer's head, no body (the next response on the connection parses cleanly).
        let c = try s.client()
        defer { c.close() }
        c.send(
            "HEAD /echo HTTP/1.1\r\nHost: h\r\n\r\nHEAD /stream HTTP/1.1\r\nHost: h\r\n\r\nGET /target HTTP/1.1\r\nHost: h\r\n\r\n"
        )
        let head = try c.readResponse(bodyless: true)
        #expect(head.status == 200 && head.header("Content-Length") == "0", "\(head.status) \(head.headers) \(head.text)")
        let streamHead = try c.readResponse(bodyless: true)
        #expect(streamHead.status == 200 && streamHead.body.isEmpty)
        #expect(try c.readResponse().text == "/target")
        // 204: no Content-Length, no body.
        let empty = try s.get("/empty")
        #expect(empty.status == 204 && empty.header("Content-Length") == nil && empty.body.isEmpty)
        // Absolute form.
        #expect(try s.get("http://127.0.0.1/target?q=1").text == "/target?q=1")
        // HTTP/1.0: a streamed body is not chunked; it ends with the connection.
        let old = try s.client()
        defer { old.close() }
        old.send("GET /stream HTTP/1.0\r\n\r\n")
        let streamed = try old.readResponse()
        #expect(streamed.header("Transfer-Encoding") == nil && streamed.header("Connection") == "close")
        #expect(streamed.body.count == 300_000)
        // HTTP/1.0 keep-alive is granted out loud.
        let kept = try s.client()
        defer { kept.close() }
        kept.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().header("Connection") == "keep-alive")
        kept.send("GET / HTTP/1.0\r\n\r\n")
        let last = try kept.readResponse()
        #expect(last.header("Connection") == "close")
        #expect(kept.isClosedByServer(within: 5))
        // HTTP/1.1 streamed: chunked.
        let chunked = try s.get("/stream")
        #expect(chunked.header("Transfer-Encoding") == "chunked" && chunked.body.count == 300_000)
    }

    @Test func keepAlivePipeliningAndContinue() throws {
        let s = try TestServer()
        defer { s.stop() }
        let c = try s.client()
        defer { c.close() }
        for i in 0..<20 { #expect(try c.request("POST", "/echo", body: Array("n\(i)".utf8)).text == "n\(i)") }
        c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /target HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try c.readResponse().text == "ok")
        #expect(try c.readResponse().text == "/target")
        c.send("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
        #expect(try c.readInterim() == 100)
        c.send("abc")
        #expect(try c.readResponse().text == "abc")
    }

    @Test func gracefulStopFinishesTheRequestInFlightAndClosesIdleConnections() throws {
        var limits = HTTPLimits()
        limits.drainTimeoutSeconds = 10
        let s = try TestServer(limits: limits)
        let client = try s.client()
        let idle = try s.client()
        defer {
            client.close()
            idle.close()
        }
        #expect(try idle.request("GET", "/").status == 200)
        client.send("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        #expect(try client.readInterim() == 100)
        let stopped = DispatchSemaphore(value: 0)
        Thread {
            s.server.stop()
            stopped.signal()
        }.start()
        // The idle connection closes; the request in flight is still served once its body arrives.
        #expect(idle.isClosedByServer(within: 10))
        client.send("body")
        let r = try client.readResponse()
        #expect(r.text == "body" && r.header("Connection") == "close")
        stopped.wait()
        #expect(s.server.activeConnections == 0)
    }
}
