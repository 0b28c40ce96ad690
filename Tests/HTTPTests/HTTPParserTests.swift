import Testing

@testable import HTTP

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
        ("GET ftp://x/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET http://user@x/ HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET x.example:80 HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400),
        ("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400),
        ("GET / HTTP/1.x\r\nHost: h\r\n\r\n", 400),
        ("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400),
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
    @Test(
        arguments: [
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
        // A fixed seed (SplitMix64): the same inputs every run; the fuzzer (Tools/fuzz) explores further.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let prefix = Array("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for _ in 0..<2000 {
            var p = HTTPRequestParser()
            let n = Int(next() % 301)
            p.feed((next() % 2 == 0 ? prefix : []) + (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) })
            for _ in 0..<10 {
                if case .needMore = p.next() { break }
            }
        }
    }

    // MARK: Issue 13: the head's limits hold however the bytes come

    /// Empty lines before the request line are skipped (RFC 9112 §2.2) but count against `maxHeaderBytes`:
    /// an endless stream of them is refused instead of buffered (one connection once grew by 1.5 GB in 7 s).
    @Test func emptyLinesBeforeTheRequestLineCountAgainstTheHeadLimit() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 100
        // Field lines of 9 bytes ("Host: h\r\n") plus 91 bytes of empty lines: exactly the limit.
        let ninetyOne = String(repeating: "\r\n", count: 45) + "\n"
        #expect(status(ninetyOne + "GET / HTTP/1.1\r\nHost: h\r\n\r\n", limits: limits) == nil)
        #expect(status("\r" + ninetyOne + "GET / HTTP/1.1\r\nHost: h\r\n\r\n", limits: limits) == 431)
        // Refused as soon as the limit is passed, without a request line ever coming, and nothing is kept.
        var p = HTTPRequestParser(limits: limits)
        for _ in 0..<50 {
            p.feed(Array("\r\n".utf8))
            if case .failure = p.next() { break }
        }
        p.feed(Array("\r\n".utf8))
        if case .failure(let f) = p.next() { #expect(f.status == 431) } else { Issue.record("no failure") }
        #expect(p.bufferedBytes == 0)
        // One empty line between pipelined requests is still fine, and the count starts again each request.
        let pipelined = String(repeating: "GET / HTTP/1.1\r\nHost: h\r\n\r\n\r\n", count: 20)
        #expect(requests(pipelined).count == 20)
    }

    @Test func anEmptyLineStartsTheRequestDeadline() {
        var p = HTTPRequestParser()
        #expect(!p.hasPartialRequest)
        p.feed(Array("\r\n".utf8))
        _ = p.next()
        #expect(p.hasPartialRequest, "the deadline runs from the first byte, even an empty line")
    }

    /// A head fed one byte at a time is looked at once per byte (the scan resumes where it stopped), and
    /// gives the same request as the head fed whole.
    @Test func aHeadFedByteByByteGivesTheSameRequest() {
        let text =
            "\r\nPOST /x?a=1 HTTP/1.1\r\nHost: h\r\nX-Long: \(String(repeating: "v", count: 3000))\r\nContent-Length: 3\r\n\r\nabc"
        let whole = requests(text)
        let bytewise = requests(text, split: 1)
        #expect(whole.count == 1 && bytewise.count == 1)
        #expect(whole.first?.header("x-long") == bytewise.first?.header("x-long"))
        #expect(bytewise.first?.body == Array("abc".utf8))
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 64
        #expect(
            events("GET / HTTP/1.1\r\nHost: h\r\nX: \(String(repeating: "v", count: 100))", limits: limits, split: 1).contains {
                if case .failure(let f) = $0 { return f.status == 431 } else { return false }
            }, "431 before the header section ends, byte by byte")
    }

    @Test func aRequestLineOfExactlyTheLimitWhoseLineEndComesLaterIsAccepted() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 32
        let line = "GET /" + String(repeating: "a", count: 32 - 14) + " HTTP/1.1"
        #expect(line.utf8.count == 32)
        var p = HTTPRequestParser(limits: limits)
        p.feed(Array((line + "\r").utf8))
        if case .failure = p.next() { Issue.record("refused before the LF came") }
        p.feed(Array("\nHost: h\r\n\r\n".utf8))
        if case .request = p.next() {} else { Issue.record("not accepted") }
    }

    /// RFC 9112 §3.2.2: a server accepts the absolute form; routing sees its path and query only.
    @Test func absoluteFormTargetsAreAccepted() {
        let r = requests("GET http://example.org:8080/api/v1/x?y=1 HTTP/1.1\r\nHost: example.org\r\n\r\n")
        #expect(r.first?.target == "/api/v1/x?y=1" && r.first?.absoluteAuthority == "example.org:8080")
        #expect(requests("GET HTTPS://Example.org HTTP/1.1\r\nHost: x\r\n\r\n").first?.target == "/")
        #expect(requests("GET http://h?q=1 HTTP/1.1\r\nHost: h\r\n\r\n").first?.target == "/?q=1")
        #expect(requests("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").first?.target == "*")
    }

    /// Path segments are split before they are decoded: `%2F` never makes a new segment.
    @Test func encodedSlashesStayInsideTheirSegment() {
        #expect(HTTPRequest(method: "GET", target: "/api%2Fv1%2Fconsultation").pathSegments == ["api/v1/consultation"])
        #expect(HTTPRequest(method: "GET", target: "/a/b%2Fc/%41+?x=%2F").pathSegments == ["a", "b/c", "A+"])
        #expect(HTTPRequest(method: "GET", target: "/").pathSegments == [""])
        #expect(HTTPRequest(method: "GET", target: "/a?b=%2F").queryValue("b") == "/")
    }

    @Test func theBufferedBytesAreWhatTheParserHolds() {
        var p = HTTPRequestParser()
        p.feed(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n01234".utf8))
        _ = p.next()
        #expect(p.bufferedBytes == 5)
        p.feed(Array("56789GET".utf8))
        if case .request(let r) = p.next() { #expect(r.body.count == 10) } else { Issue.record("no request") }
        #expect(p.bufferedBytes == 3)
    }
}

@Suite struct HTTPParserSplitTests {
    /// Pipelined heads split at every byte, in two pieces and in three: always the same requests.
    @Test func everySplitOfPipelinedRequestsGivesTheSameRequests() {
        let text = Array(
            ("\r\nHEAD /echo HTTP/1.1\r\nHost: h\r\n\r\nHEAD /stream HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /target HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                + "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\nT: t\r\n\r\n").utf8)
        func parse(_ cuts: [Int]) -> [String] {
            var p = HTTPRequestParser()
            var out: [String] = []
            var start = 0
            for end in cuts + [text.count] {
                p.feed(text[start..<end])
                start = end
                loop: while true {
                    switch p.next() {
                    case .needMore: break loop
                    case .request(let r): out.append("\(r.method) \(r.target) \(r.headers.map(\.value)) \(r.body)")
                    case .failure(let f): out.append("failure \(f.status) \(f.reason)"); return out
                    case .expectsContinue: out.append("continue")
                    }
                }
            }
            return out
        }
        let whole = parse([])
        #expect(whole.count == 4)
        for i in 1..<text.count {
            #expect(parse([i]) == whole, "split at \(i)")
            for j in stride(from: i + 1, to: text.count, by: 7) { #expect(parse([i, j]) == whole, "split at \(i) and \(j)") }
        }
    }
}

/// Found by the fuzzer (Tools/fuzz/corpus/http/found-trailers-at-the-limit.http): fed byte by byte, a trailer
/// section of exactly `maxHeaderBytes` was refused when the CR of its closing empty line arrived, and a chunk-size
/// line of exactly `maxChunkLineBytes` when its CR arrived, though both are accepted fed whole.
@Suite struct HTTPParserLimitEdgeTests {
    func statuses(_ text: String, limits: HTTPLimits) -> (whole: [String], bytewise: [String]) {
        func run(_ step: Int) -> [String] {
            var p = HTTPRequestParser(limits: limits)
            var out: [String] = []
            let bytes = Array(text.utf8)
            var offset = 0
            outer: while offset < bytes.count {
                p.feed(bytes[offset..<min(bytes.count, offset + step)])
                offset += step
                while true {
                    switch p.next() {
                    case .needMore: continue outer
                    case .expectsContinue: out.append("continue")
                    case .request(let r): out.append("request \(r.body.count)")
                    case .failure(let f):
                        out.append("failure \(f.status)")
                        break outer
                    }
                }
            }
            return out
        }
        return (run(Int.max / 2), run(1))
    }

    @Test func aTrailerSectionOfExactlyTheLimitFedByteByByte() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 64
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n"
        // Trailer lines of 64 bytes with their CRLFs: 30 + 2 and 30 + 2.
        let line = "T: " + String(repeating: "t", count: 27)
        let atLimit = statuses(head + line + "\r\n" + line + "\r\n\r\n", limits: limits)
        #expect(atLimit.whole == ["request 1"] && atLimit.bytewise == atLimit.whole)
        let over = statuses(head + line + "\r\n" + line + "t\r\n\r\n", limits: limits)
        #expect(over.whole == ["failure 431"] && over.bytewise == over.whole)
    }

    @Test func aChunkSizeLineOfExactlyTheLimitFedByteByByte() {
        var limits = HTTPLimits()
        limits.maxChunkLineBytes = 8
        let head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        let atLimit = statuses(head + "1;abcdef\r\nx\r\n0\r\n\r\n", limits: limits)
        #expect(atLimit.whole == ["request 1"] && atLimit.bytewise == atLimit.whole)
        let over = statuses(head + "1;abcdefg\r\nx\r\n0\r\n\r\n", limits: limits)
        #expect(over.whole == ["failure 400"] && over.bytewise == over.whole)
    }
}
