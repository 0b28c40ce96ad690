import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

/// The attacks of issue 13 against the whole collector, from 127.0.0.2, while 127.0.0.1 takes part.
@Suite(.serialized) struct HostileClientTests {
    /// The two requests of about 90 bytes that killed `eccoe serve`: each gets its status and the server
    /// goes on serving.
    @Test func theChunkSizesThatCrashedTheServerAreRefusedAndServingGoesOn() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let head = "POST /api/v1/responses HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        for (attack, expected) in [
            (head + "-1\r\n", 400), (head + "1\r\nx\r\n7fffffffffffffff\r\n", 413), (head + "+5\r\n", 400),
            (head + "-0\r\n", 400),
            (head + "0x5\r\n", 400),
        ] {
            let raw = try c.client(from: "127.0.0.2")
            raw.send(attack)
            let r = try raw.readResponse()
            #expect(r.status == expected)
            #expect(
                r.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true,
                "the parser's answers are ours too")
            #expect(raw.isClosedByServer(within: 5))
            raw.close()
            #expect(try c.postJSON("/api/v1/responses", validResponseJSON()).status == 201)
        }
    }

    /// 520 sockets that send nothing from 127.0.0.2 (the attack that gave every participant a 503 for a
    /// minute): 127.0.0.1 submits throughout, and the attacker never holds more than its share.
    @Test func idleSocketsFromOneAddressDoNotStopOthersSubmitting() throws {
        var limits = HTTPLimits()
        limits.maxConnections = 64
        limits.maxConnectionsPerAddress = 8
        let c = try TestCollector(limits: limits)
        defer { c.stop() }
        var hogs: [RawClient] = []
        defer { for h in hogs { h.close() } }
        for i in 0..<520 {
            hogs.append(try c.client(from: "127.0.0.2"))
            if i % 26 == 0 { #expect(try c.postJSON("/api/v1/responses", validResponseJSON(i)).status == 201) }
        }
        #expect(try c.request("GET", "/healthz", from: "127.0.0.2").status == 200)
        #expect(c.server.connections(from: "127.0.0.2") <= 8)
        #expect(try c.store.responseCount() == 20)
    }

    @Test func blankLinesBeforeTheRequestLineAreCutOffAtTheHeadLimit() throws {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 32 * 1024
        let c = try TestCollector(limits: limits)
        defer { c.stop() }
        let raw = try c.client(from: "127.0.0.2")
        defer { raw.close() }
        // Twice the head limit of empty lines: refused at the limit, nothing kept.
        raw.send(String(repeating: "\r\n", count: 32 * 1024))
        let r = try raw.readResponse()
        #expect(r.status == 431)
        #expect(raw.isClosedByServer(within: 10))
        #expect(c.server.bufferedBytes == 0)
        #expect(try c.postJSON("/api/v1/responses", validResponseJSON()).status == 201)
    }
}
