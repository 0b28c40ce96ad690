import Foundation
import Testing

@testable import Consultation

#if canImport(Glibc)
    import Glibc
#endif

/// The parser as a pure state machine: bytes in, events out.
@Suite struct HTTPParserTests {
    func events(_ text: String, limits: HTTPLimits = HTTPLimits(), split: Int? = nil) -> [HTTPRequestParser.Event] {
        var p = HTTPRequestParser(limits: limits)
        var out: [HTTPRequestParser.Event] = []
        let bytes = Array(text.utf8)
        let step = split ?? max(bytes.count, 1)
        var i = 0
        repeat {
            p.feed(bytes[i..<min(i + step, bytes.count)])
            i += step
            loop: while true {
                let e = p.next()
                switch e {
                case .needMore: break loop
                case .failure:
                    out.append(e)
                    return out
                default: out.append(e)
                }
            }
        } while i < bytes.count
        return out
    }

    func status(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Int? {
        for e in events(text, limits: limits) { if case .failure(let f) = e { return f.status } }
        return nil
    }

    func requests(_ text: String, split: Int? = nil) -> [HTTPRequest] {
        events(text, split: split).compactMap { if case .request(let r) = $0 { return r } else { return nil } }
    }

    @Test func parsesPipelinedRequestsFedOneByteAtATime() {
        let text =
            "GET /a?x=1&y=%C3%A9 HTTP/1.1\r\nHost: h\r\nX-A:  v  \r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
            + "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n"
        for split in [1, 7, 1000] {
            let rs = requests(text, split: split)
            #expect(rs.count == 3)
            #expect(rs[0].path == "/a" && rs[0].queryValue("y") == "é" && rs[0].header("x-a") == "v")
            #expect(String(decoding: rs[1].body, as: UTF8.self) == "hello")
            #expect(String(decoding: rs[2].body, as: UTF8.self) == "abcde")
        }
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1e3\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
        ("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET http://x/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{1}b\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX", 400),
    ])
    func refusesAmbiguousAndMalformedFraming(_ text: String, _ expected: Int) {
        #expect(status(text) == expected)
    }

    @Test func eachLimitAtItsValueAndOneOver() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 64
        limits.maxHeaderBytes = 200
        limits.maxHeaderCount = 5
        limits.maxBodyBytes = 10
        // Request line: "GET " + target + " HTTP/1.1" is exactly the limit, then one byte more.
        let target = "/" + String(repeating: "a", count: 64 - 14)
        #expect(status("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n", limits: limits) == nil)
        #expect(status("GET \(target)a HTTP/1.1\r\nHost: h\r\n\r\n", limits: limits) == 414)
        #expect(status("GET /\(String(repeating: "a", count: 500))", limits: limits) == 414, "414 before the line ends")
        // Header count.
        let four = (1...4).map { "X-\($0): v\r\n" }.joined()
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\n\(four)\r\n", limits: limits) == nil)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\n\(four)X-5: v\r\n\r\n", limits: limits) == 431)
        // Header bytes: field lines of exactly 200 bytes (with their CRLFs), then 201.
        let filler = String(repeating: "b", count: 200 - "Host: h\r\n".utf8.count - "X: \r\n".utf8.count)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX: \(filler)\r\n\r\n", limits: limits) == nil)
        #expect(status("GET / HTTP/1.1\r\nHost: h\r\nX: \(filler)b\r\n\r\n", limits: limits) == 431)
        // Body bytes, declared and chunked.
        #expect(status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits) == nil)
        #expect(status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", limits: limits) == 413)
        #expect(
            status(
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n",
                limits: limits) == nil)
        #expect(
            status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n6\r\n", limits: limits) == 413)
    }

    /// The chunk-size grammar is `1*HEXDIG` (at most 16 digits) and the size is checked against the body limit
    /// before any arithmetic: a sign, a `0x` prefix or an overflowing size once killed the server (issue 13).
    @Test(arguments: [
        ("-1", 400), ("+5", 400), ("-0", 400), ("0x5", 400), (" 5", 400), ("5 ", 400), ("", 400), ("g", 400),
        ("7fffffffffffffff", 413), ("ffffffffffffffff", 413), ("10000000000000000", 400), ("00000000000000001", 400),
        ("0000000000000005", nil), ("5 ;ext", nil), ("5;ext=\"q\"", nil),
    ] as [(String, Int?)])
    func chunkSizeGrammar(_ size: String, _ expected: Int?) {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(status(head + "\(size)\r\nabcde\r\n0\r\n\r\n") == expected, "chunk size `\(size)`")
    }

    @Test func aHugeChunkAfterASmallOneIsRefusedWithoutOverflow() {
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(status(head + "1\r\nx\r\n7fffffffffffffff\r\n") == 413)
        #expect(status(head + "1\r\nx\r\nffffffffffffffff\r\n") == 413)
        var limits = HTTPLimits()
        limits.maxBodyBytes = 10
        // Exactly the limit over two chunks, then one byte more.
        #expect(status(head + "5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n", limits: limits) == nil)
        #expect(status(head + "5\r\n01234\r\n5\r\n56789\r\n1\r\n", limits: limits) == 413)
        #expect(status(head + "A\r\n0123456789\r\n0\r\n\r\n", limits: limits) == nil)
        #expect(status(head + "b\r\n", limits: limits) == 413)
    }

    @Test func chunkSizeLineAtItsLimit() {
        var limits = HTTPLimits()
        limits.maxChunkLineBytes = 16
        let ext = ";" + String(repeating: "e", count: 14)  // "1" + ext = 16 bytes
        #expect(
            status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\(ext)\r\nx\r\n0\r\n\r\n", limits: limits)
                == nil)
        #expect(
            status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\(ext)e\r\nx\r\n0\r\n\r\n", limits: limits)
                == 400)
    }

    @Test func expectContinueIsAnnouncedOnce() {
        let evs = events("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(evs.count == 1)
        if case .expectsContinue = evs.first {} else { Issue.record("expected 100-continue") }
    }

    @Test func keepAliveFollowsTheVersionAndConnectionHeader() {
        #expect(requests("GET / HTTP/1.1\r\nHost: h\r\n\r\n")[0].keepAlive)
        #expect(!requests("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")[0].keepAlive)
        #expect(!requests("GET / HTTP/1.0\r\n\r\n")[0].keepAlive)
        #expect(requests("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")[0].keepAlive)
    }

    @Test func randomBytesNeverTrapTheParser() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var p = HTTPRequestParser()
            let n = Int.random(in: 0...300, using: &generator)
            let prefix = Array("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            p.feed(
                (Bool.random(using: &generator) ? prefix : []) + (0..<n).map { _ in UInt8.random(in: 0...255, using: &generator) }
            )
            for _ in 0..<10 {
                if case .needMore = p.next() { break }
            }
        }
    }
}

/// The server over real sockets: each limit answered with its status, slow clients, keep-alive, stop.
@Suite(.serialized) struct HTTPServerTests {
    @Test func eachLimitIsAnsweredWithItsStatusOverTheSocket() throws {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 200
        limits.maxHeaderBytes = 1000
        limits.maxHeaderCount = 10
        limits.maxBodyBytes = 1000
        let c = try TestCollector(limits: limits)
        defer { c.stop() }
        #expect(try c.request("GET", "/" + String(repeating: "x", count: 300)).status == 414)
        #expect(try c.request("GET", "/", headers: (1...11).map { ("X-\($0)", "v") }).status == 431)
        #expect(try c.request("GET", "/", headers: [("X-Big", String(repeating: "v", count: 1200))]).status == 431)
        #expect(
            try c.request(
                "POST", "/api/v1/responses", headers: [("Content-Type", "application/json")],
                body: Array(repeating: 32, count: 1001)
            ).status == 413)
        let raw = try c.client()
        raw.send("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(try raw.readResponse().status == 400)
        #expect(raw.isClosedByServer(within: 5))
        raw.close()
        #expect(try c.request("GET", "/healthz").status == 200)
    }

    /// The two requests of about 90 bytes that killed `eccoe serve` (issue 13): each gets its status and the
    /// server goes on serving.
    @Test func theChunkSizesThatCrashedTheServerAreRefusedAndServingGoesOn() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let head = "POST /api/v1/responses HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        for (attack, expected) in [(head + "-1\r\n", 400), (head + "1\r\nx\r\n7fffffffffffffff\r\n", 413)] {
            let raw = try c.client()
            raw.send(attack)
            #expect(try raw.readResponse().status == expected)
            #expect(raw.isClosedByServer(within: 5))
            raw.close()
            #expect(try c.request("GET", "/healthz").status == 200)
        }
    }

    @Test func aSlowClientIsCutOffAtTheDeadlineWhileOthersAreServed() throws {
        var limits = HTTPLimits()
        limits.requestDeadlineSeconds = 2
        let c = try TestCollector(limits: limits)
        defer { c.stop() }
        let slow = try c.client()
        let started = Date()
        let request = Array(
            "POST /api/v1/responses HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n".utf8)
        let done = DispatchSemaphore(value: 0)
        // One byte a second, from another thread, until the server closes the connection.
        Thread {
            for b in request {
                if !slow.send([b]) { break }
                usleep(1_000_000)
            }
            done.signal()
        }.start()
        // Meanwhile others are served promptly.
        for i in 0..<5 {
            let t0 = Date()
            #expect(try c.postJSON("/api/v1/responses", validResponseJSON(i)).status == 201)
            #expect(Date().timeIntervalSince(t0) < 1)
        }
        let response = try slow.readResponse()
        let elapsed = Date().timeIntervalSince(started)
        #expect(response.status == 408)
        #expect(elapsed >= 1.9 && elapsed < 5, "cut off after \(elapsed) s")
        #expect(slow.isClosedByServer(within: 3))
        slow.close()
        done.wait()
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws {
        var limits = HTTPLimits()
        limits.idleTimeoutSeconds = 1
        let c = try TestCollector(limits: limits)
        defer { c.stop() }
        let client = try c.client()
        defer { client.close() }
        #expect(try client.request("GET", "/healthz").status == 200)
        let t0 = Date()
        #expect(client.isClosedByServer(within: 5))
        let waited = Date().timeIntervalSince(t0)
        #expect(waited >= 0.8 && waited < 3, "closed after \(waited) s")
    }

    @Test func keepAliveServesManyRequestsOnOneConnection() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let client = try c.client()
        defer { client.close() }
        for i in 0..<20 {
            let r = try client.request(
                "POST", "/api/v1/responses", headers: [("Content-Type", "application/json")],
                body: Array(validResponseJSON(i).utf8))
            #expect(r.status == 201)
        }
        // Pipelined: two requests in one write.
        client.send("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\nGET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        #expect(try client.readResponse().status == 200)
        // Expect: 100-continue.
        client.send(
            "POST /api/v1/responses HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: \(validResponseJSON().utf8.count)\r\n\r\n"
        )
        usleep(100_000)
        client.send(validResponseJSON())
        #expect(try client.readResponse().status == 201)
    }

    @Test func theConnectionLimitAnswers503() throws {
        var limits = HTTPLimits()
        limits.maxConnections = 2
        let c = try TestCollector(limits: limits)
        defer { c.stop() }
        let a = try c.client(), b = try c.client()
        defer { a.close(); b.close() }
        usleep(300_000)
        let third = try c.client()
        defer { third.close() }
        third.send("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try third.readResponse().status == 503)
        a.close()
        usleep(500_000)
        #expect(try c.request("GET", "/healthz").status == 200)
    }

    @Test func gracefulStopFinishesTheRequestInFlight() throws {
        var limits = HTTPLimits()
        limits.drainTimeoutSeconds = 5
        let c = try TestCollector(limits: limits)
        let client = try c.client()
        let body = Array(validResponseJSON().utf8)
        // Half a request is in flight when the stop begins; the rest arrives during the drain.
        client.send(
            Array(
                "POST /api/v1/responses HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
                    .utf8) + body.prefix(10))
        usleep(200_000)
        let idle = try c.client()
        Thread {
            usleep(300_000)
            client.send(Array(body.dropFirst(10)))
        }.start()
        c.server.stop()
        let r = try client.readResponse()
        #expect(r.status == 201)
        #expect(r.header("Connection") == "close")
        #expect(idle.isClosedByServer(within: 2))
        #expect(try c.store.responseCount() == 1)
        client.close()
        idle.close()
        c.stop()
    }
}
