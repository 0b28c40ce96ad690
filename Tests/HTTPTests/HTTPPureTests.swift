import PercentEncoding
import Testing

@testable import HTTP

/// RFC 9112's framing rules as a table: HEAD sends no body, 204 has no Content-Length, HTTP/1.0 gets no
/// chunked body and its keep-alive is said out loud.
@Suite struct ResponseFramingTests {
    func framing(
        _ status: Int, length: Int? = 5, streamed: Bool = false, method: String = "GET", version: String = "HTTP/1.1",
        keepAlive: Bool = true
    ) -> ResponseFraming {
        ResponseFraming(
            status: status, bodyLength: length, streamed: streamed, method: method, version: version, requestKeepAlive: keepAlive)
    }

    @Test func bodiesAndLengths() {
        #expect(framing(200).body == .contentLength(5))
        #expect(framing(200, method: "HEAD").body == .none(contentLength: 5), "HEAD: the length GET would have, no body")
        #expect(framing(200, streamed: true, method: "HEAD").body == .none(contentLength: nil))
        #expect(framing(204).body == .none(contentLength: nil), "204 never has Content-Length")
        #expect(framing(304).body == .none(contentLength: 5))
        #expect(framing(100).body == .none(contentLength: nil))
        #expect(framing(200, streamed: true).body == .chunked)
    }

    @Test func http10GetsNoChunkedBodyAndProperConnectionHandling() {
        let streamed = framing(200, streamed: true, version: "HTTP/1.0", keepAlive: true)
        #expect(streamed.body == .untilClose && !streamed.keepAlive && streamed.connectionHeader == "close")
        let kept = framing(200, version: "HTTP/1.0", keepAlive: true)
        #expect(kept.keepAlive && kept.connectionHeader == "keep-alive")
        #expect(framing(200, version: "HTTP/1.0", keepAlive: false).connectionHeader == "close")
        #expect(framing(200).connectionHeader == nil)
        #expect(framing(200, keepAlive: false).connectionHeader == "close")
    }

    @Test func theHeadIsOursAlone() {
        let response = HTTPResponse(
            status: 204,
            headers: [
                ("Content-Length", "99"), ("Transfer-Encoding", "chunked"), ("Connection", "keep-alive"),
                ("X-A", "a\r\nInjected: 1"),
                ("Cache-Control", "private"),
            ])
        let head = String(
            decoding: framing(204).head(for: response, standard: [("Cache-Control", "no-store"), ("X-S", "s")]), as: UTF8.self)
        #expect(head.hasPrefix("HTTP/1.1 204 No Content\r\n"))
        #expect(!head.lowercased().contains("content-length") && !head.contains("chunked") && !head.contains("keep-alive"))
        #expect(head.contains("X-A: aInjected: 1\r\n"), "no CR or LF gets through")
        #expect(head.contains("X-S: s\r\n") && head.contains("Cache-Control: private\r\n") && !head.contains("no-store"))
        #expect(head.hasSuffix("\r\n\r\n"))
    }
}

/// Who may hold a connection: per-address and global caps, idle connections making room first.
@Suite struct ConnectionTableTests {
    @Test func anAddressAtItsCapDisplacesItsOwnIdleConnectionThenIsRefused() {
        var t = ConnectionTable(maxConnections: 10, maxConnectionsPerAddress: 3)
        var ids: [ConnectionTable.ID] = []
        for _ in 0..<3 {
            guard case .admitted(let id, nil) = t.admit(address: "127.0.0.2") else {
                Issue.record("refused under the cap"); return
            }
            ids.append(id)
        }
        #expect(t.count(from: "127.0.0.2") == 3)
        // At the cap: the address's connection idle the longest makes room.
        guard case .admitted(let fourth, let evicted) = t.admit(address: "127.0.0.2") else { Issue.record("refused"); return }
        #expect(evicted == ids[0] && t.count(from: "127.0.0.2") == 3)
        // All three busy: refused with 429, and another address is not affected.
        for id in [ids[1], ids[2], fourth] { t.markBusy(id) }
        #expect(t.admit(address: "127.0.0.2") == .refused(status: 429, reason: "3 connections from one address are busy"))
        guard case .admitted(_, nil) = t.admit(address: "127.0.0.1") else { Issue.record("another address refused"); return }
        // One becomes idle again: it is the one to go.
        t.markIdle(ids[2])
        guard case .admitted(_, let again) = t.admit(address: "127.0.0.2") else { Issue.record("refused"); return }
        #expect(again == ids[2])
    }

    @Test func atTheGlobalCapTheLongestIdleConnectionGoesThen503() {
        var t = ConnectionTable(maxConnections: 4, maxConnectionsPerAddress: 4)
        var ids: [ConnectionTable.ID] = []
        for a in ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"] {
            guard case .admitted(let id, nil) = t.admit(address: a) else { Issue.record("refused"); return }
            ids.append(id)
        }
        t.markBusy(ids[0])
        t.markBusy(ids[1])
        t.markIdle(ids[1])  // idle again, more recently than ids[2] and ids[3]
        guard case .admitted(let fifth, let evicted) = t.admit(address: "10.0.0.5") else { Issue.record("refused"); return }
        #expect(evicted == ids[2] && t.count == 4)
        for id in [ids[1], ids[3], fifth] { t.markBusy(id) }
        #expect(t.admit(address: "10.0.0.6") == .refused(status: 503, reason: "all 4 connections are busy"))
        t.remove(ids[0])
        t.remove(ids[0])  // twice is harmless
        guard case .admitted(_, nil) = t.admit(address: "10.0.0.6") else { Issue.record("refused after a close"); return }
        #expect(t.count == 4)
    }

    @Test(arguments: [
        ("192.0.2.7", "192.0.2.7"), ("::ffff:192.0.2.7", "192.0.2.7"), ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::9", "2001:db8:1:2::/64"), ("2001:db8::1", "2001:db8:0:0::/64"), ("::1", "0:0:0:0::/64"),
        ("fe80::1%eth0", "fe80:0:0:0::/64"),
    ])
    func addressesAreCountedByIPv4AddressOrIPv6Network(_ address: String, _ key: String) {
        #expect(ConnectionTable.addressKey(address) == key)
    }
}

/// Deadlines by phase, on plain numbers.
@Suite struct ConnectionTimerTests {
    @Test func eachPhaseHasItsDeadlineAndAnswer() {
        var limits = HTTPLimits()
        limits.firstByteTimeoutSeconds = 10
        limits.idleTimeoutSeconds = 30
        limits.requestDeadlineSeconds = 20
        var t = ConnectionTimer(limits: limits, openedAt: 100)
        #expect(t.phase == .awaitingFirstByte && t.deadline == 110 && t.expiryStatus == nil)
        t.bytesArrived(at: 105)
        #expect(t.phase == .receiving && t.deadline == 125 && t.expiryStatus == 408)
        t.bytesArrived(at: 120)
        #expect(t.deadline == 125, "more bytes do not move the request's deadline")
        t.answered(at: 121, partial: false)
        #expect(t.phase == .idle && t.deadline == 151 && t.expiryStatus == nil)
        t.answered(at: 122, partial: true)
        #expect(t.phase == .receiving && t.deadline == 142, "a pipelined request's deadline starts when the last was answered")
    }
}

@Suite struct RouteTableTests {
    func table() -> RouteTable<String> {
        var t = RouteTable<String>()
        t.add("GET", "/") { ctx, _, _ in .text(200, "root \(ctx)") }
        t.add("GET", "/items/{id}") { _, _, p in .text(200, "get \(p["id"])") }
        t.add("PUT", "/items/{id}") { _, _, p in .text(200, "put \(p["id"])") }
        t.add("POST", "/items/{id}/archive") { _, _, p in .text(200, "archive \(p["id"])") }
        return t
    }

    func answer(_ method: String, _ target: String) -> (Int, String, String?) {
        let r = table().respond(to: HTTPRequest(method: method, target: target), context: "ctx") { _ in .text(404, "none") }
        guard case .bytes(let b) = r.body else { return (r.status, "", nil) }
        return (r.status, String(decoding: b, as: UTF8.self), r.header("Allow"))
    }

    @Test func routesParametersMethodsAndHead() {
        #expect(answer("GET", "/").1 == "root ctx")
        #expect(answer("HEAD", "/").1 == "root ctx", "HEAD is answered by GET (the server drops the body)")
        #expect(answer("GET", "/items/a%20b?x=1").1 == "get a b")
        #expect(answer("PUT", "/items/7").1 == "put 7")
        #expect(answer("POST", "/items/7/archive").1 == "archive 7")
        let notAllowed = answer("DELETE", "/items/7")
        #expect(notAllowed.0 == 405 && notAllowed.2 == "GET, HEAD, PUT")
        #expect(answer("GET", "/items").0 == 404)
        #expect(answer("GET", "/items/7/8").0 == 404)
    }

    @Test func anEncodedSlashNeverMakesARoute() {
        #expect(answer("POST", "/items%2F7%2Farchive").0 == 404)
        #expect(answer("GET", "/items/7%2Farchive").1 == "get 7/archive", "it stays inside its segment")
        #expect(table().patterns == ["GET /", "GET /items/{id}", "PUT /items/{id}", "POST /items/{id}/archive"])
    }
}

@Suite struct FormDecodingTests {
    @Test func formsAndPercentEncoding() {
        #expect(
            FormDecoding.pairs(Array("a=1&b=x+y&&c&d=%E2%82%AC&e=%zz%4".utf8)).map { "\($0.0)=\($0.1)" }
                == ["a=1", "b=x y", "c=", "d=€", "e=%zz%4"])
        #expect(FormDecoding.pairs(Array("x=%FF".utf8)).first?.1 == "\u{FFFD}")
        #expect(PercentEncoding.decode(Array("a+b%2F".utf8)) == "a+b/")
        #expect(FormDecoding.encode("a b/é~") == "a%20b%2F%C3%A9~")
        #expect(FormDecoding.pairs(Array(FormDecoding.encode("k=&v").utf8) + Array("=1".utf8)).first?.0 == "k=&v")
    }
}
