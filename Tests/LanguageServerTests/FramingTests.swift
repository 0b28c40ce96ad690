import JSONSyntax
import Testing
@testable import LanguageServer

@Suite struct FramingTests {
    func body(_ s: String) -> [UInt8] { Array("Content-Length: \(s.utf8.count)\r\n\r\n\(s)".utf8) }

    @Test func splitAcrossEveryByteBoundary() {
        let stream = body("{\"a\":1}") + body("{\"é😀\":2}")
        for cut in 0...stream.count {
            var framer = MessageFramer()
            let events = framer.feed(stream[..<cut]) + framer.feed(stream[cut...])
            #expect(events == [.message(Array("{\"a\":1}".utf8)), .message(Array("{\"é😀\":2}".utf8))], "cut at \(cut)")
            #expect(framer.pendingByteCount == 0)
        }
    }

    @Test func coalescedMessagesAndOtherHeaders() {
        var framer = MessageFramer()
        let stream = Array("content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}CONTENT-LENGTH:2\r\n\r\n[]".utf8)
        #expect(framer.feed(stream) == [.message(Array("{}".utf8)), .message(Array("[]".utf8))])
    }

    @Test func badHeadersAreSkippedAndFramingResumes() {
        var framer = MessageFramer()
        let events = framer.feed(Array("Content-Length: x\r\n\r\nContent-Length: 2\r\n\r\n{}".utf8))
        #expect(events.count == 2)
        #expect(events[0] == .framingError("invalid Content-Length `x`"))
        #expect(events[1] == .message(Array("{}".utf8)))
        let missing = framer.feed(Array("X-Other: 1\r\n\r\nContent-Length: 2\r\n\r\n[]".utf8))
        #expect(missing == [.framingError("header block without Content-Length"), .message(Array("[]".utf8))])
    }

    @Test func bodyLimitIsEnforcedAtTheLimit() {
        var framer = MessageFramer(limits: TransportLimits(maxHeaderBytes: 100, maxBodyBytes: 4))
        #expect(framer.feed(body("[12]")) == [.message(Array("[12]".utf8))])
        let over = framer.feed(body("[123]") + body("[1]"))
        #expect(over == [.framingError("message of 5 bytes exceeds the limit of 4 bytes; skipped"), .message(Array("[1]".utf8))])
    }

    @Test func headerLimit() {
        var framer = MessageFramer(limits: TransportLimits(maxHeaderBytes: 32, maxBodyBytes: 100))
        let events = framer.feed(Array((String(repeating: "X", count: 40) + "\r\n\r\n").utf8) + body("{}"))
        #expect(events.first == .framingError("header block longer than 32 bytes; skipped"))
        #expect(events.last == .message(Array("{}".utf8)))
    }
}
