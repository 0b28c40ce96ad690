import JSONSyntax
import Testing

@testable import LanguageServer

@Suite struct FramingTests {
    func body(_ s: String) -> [UInt8] { Array("Content-Length: \(s.utf8.count)\r\n\r\n\(s)".utf8) }

    /// The server's own encoder writes exactly what `JSONValue` writes, escapes included.
    @Test(arguments: [
        "", "plain", "quote \" backslash \\ slash /", "line\nfeed\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}",
        "é😀 統計 Ελληνικά", "sep\u{2028}par\u{2029}end", "€ … ‰ \u{2027}\u{202A}", "\u{2028}",
        "ends with \u{E2}",
    ])
    func encoderMatchesJSONValue(_ text: String) {
        let value: JSONValue = [
            "jsonrpc": "2.0", "id": 7, "method": .string(text),
            "params": [
                "list": [.string(text), .null, true, false, -12, .double(2.5), .double(1e300), .double(.infinity), [:], []],
                text: .string(text + text),
            ],
        ]
        #expect(MessageEncoder.encode(value) == value.serialized)
        #expect(MessageEncoder.frame(value) == Array("Content-Length: \(value.serialized.count)\r\n\r\n".utf8) + value.serialized)
    }

    /// The push written straight to bytes is the message the server would otherwise build as a value.
    @Test(arguments: [PositionEncoding.utf16, .utf8])
    func publishedDiagnosticsMatchTheValueEncoding(_ encoding: PositionEncoding) {
        let tree = SyntaxTree(parsing: "{\n  \"é😀\": \"x\u{2028}y\",\r\n  \"b\": [1, 2]\n}")
        let findings = [
            EditorFinding(
                range: 4..<12, severity: .error, code: "MC-21", documentationURL: "https://eccoe.eu/criteria#MC-21",
                message: "“quoted” \"text\" with\ttab",
                data: [
                    "criterion": "MC-21",
                    "nested": [
                        "title": "Choose", "edits": [],
                        "choices": [
                            [
                                "label": "a\u{2029}", "value": "\"a\"",
                                "edits": [
                                    ["start": 4, "end": 12, "newText": "\"a\""]
                                ],
                            ]
                        ],
                    ],
                ]),
            EditorFinding(range: 0..<0, severity: .hint, code: nil, message: ""),
            EditorFinding(range: 20..<100, severity: .warning, code: "expected-comma", message: "past the end"),
        ]
        for list in [findings, []] {
            let value: JSONValue = [
                "jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                "params": [
                    "uri": "file:///tmp/a%20b.json", "version": 12,
                    "diagnostics": .array(list.map { LanguageServer.diagnostic($0, in: tree, encoding: encoding) }),
                ],
            ]
            let direct = MessageEncoder.publishDiagnostics(
                uri: "file:///tmp/a%20b.json", version: 12, findings: list, tree: tree,
                encoding: encoding)
            #expect(direct == frame(value))
        }
    }

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
        let stream = Array(
            "content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}CONTENT-LENGTH:2\r\n\r\n[]"
                .utf8)
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
