import JSONSyntax

/// Writes outgoing messages as JSON text, byte for byte what `JSONValue.serialized` writes (a test keeps
/// them equal), but copying each string's runs of plain bytes in one go into one growing buffer. A push of
/// a large document's diagnostics is tens of kilobytes of strings, and encoding it byte by byte was a
/// tenth of the server's time per keystroke.
enum MessageEncoder {
    /// The JSON text of `value`.
    static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    /// `Content-Length` header and body, ready to write.
    static func frame(_ value: JSONValue) -> [UInt8] {
        let body = encode(value)
        var framed: [UInt8] = []
        framed.reserveCapacity(body.count + 32)
        framed.append(contentsOf: "Content-Length: \(body.count)\r\n\r\n".utf8)
        framed.append(contentsOf: body)
        return framed
    }

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double:
            // Rare on the wire: the reference writer's formatting, as is.
            out.append(contentsOf: value.serialized)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                write(item, into: &out)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(0x2C) }
                writeString(member.0, into: &out)
                out.append(0x3A)
                write(member.1, into: &out)
            }
            out.append(0x7D)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: `"` and `\` escaped, control characters as `\n` `\r` `\t` or `\u00XX`, and U+2028 and
    /// U+2029 as `\u2028` `\u2029` (JavaScript readers take them for line ends), as `JSONValue` does.
    static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(0x22)
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            var i = 0
            let count = bytes.count
            func flush(_ end: Int) {
                if end > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
            }
            while i < count {
                let b = bytes[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0xE2 {
                    i += 1
                    continue
                }
                switch b {
                case 0x22, 0x5C:
                    flush(i)
                    out.append(0x5C)
                    out.append(b)
                case 0x0A:
                    flush(i)
                    out.append(0x5C)
                    out.append(0x6E)
                case 0x0D:
                    flush(i)
                    out.append(0x5C)
                    out.append(0x72)
                case 0x09:
                    flush(i)
                    out.append(0x5C)
                    out.append(0x74)
                case 0..<0x20:
                    flush(i)
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
                case 0xE2 where i + 2 < count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    flush(i)
                    out.append(contentsOf: [0x5C, 0x75, 0x32, 0x30, 0x32, bytes[i + 2] == 0xA8 ? 0x38 : 0x39])
                    i += 3
                    runStart = i
                    continue
                default:
                    // 0xE2 starting another character: an ordinary byte.
                    i += 1
                    continue
                }
                i += 1
                runStart = i
            }
            flush(count)
        }
        out.append(0x22)
    }
}

extension MessageEncoder {
    /// The framed `textDocument/publishDiagnostics` notification for an analysis, written straight to bytes:
    /// the same text as encoding the `JSONValue` that `LanguageServer.diagnostic` builds for each finding
    /// (a test keeps them equal), without building that value first. A push per keystroke carries every
    /// finding of the document, and building then walking a value per field cost more than the check of
    /// a small document.
    static func publishDiagnostics(
        uri: String, version: Int, findings: [EditorFinding], tree: SyntaxTree,
        encoding: PositionEncoding
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + findings.count * 320)
        out.append(contentsOf: #"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#.utf8)
        writeString(uri, into: &out)
        out.append(contentsOf: #","version":"#.utf8)
        out.append(contentsOf: String(version).utf8)
        out.append(contentsOf: #","diagnostics":["#.utf8)
        let ranges = tree.ranges(of: findings.map(\.range), encoding: encoding)
        for (i, finding) in findings.enumerated() {
            if i > 0 { out.append(0x2C) }
            writeDiagnostic(finding, range: ranges[i], into: &out)
        }
        out.append(contentsOf: "]}}".utf8)
        var framed: [UInt8] = []
        framed.reserveCapacity(out.count + 32)
        framed.append(contentsOf: "Content-Length: \(out.count)\r\n\r\n".utf8)
        framed.append(contentsOf: out)
        return framed
    }

    /// One diagnostic, as `LanguageServer.diagnostic` builds it, in the same key order.
    static func writeDiagnostic(_ f: EditorFinding, range: PositionRange, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"range":{"start":{"line":"#.utf8)
        out.append(contentsOf: String(range.start.line).utf8)
        out.append(contentsOf: #","character":"#.utf8)
        out.append(contentsOf: String(range.start.character).utf8)
        out.append(contentsOf: #"},"end":{"line":"#.utf8)
        out.append(contentsOf: String(range.end.line).utf8)
        out.append(contentsOf: #","character":"#.utf8)
        out.append(contentsOf: String(range.end.character).utf8)
        out.append(contentsOf: #"}},"severity":"#.utf8)
        out.append(contentsOf: String(f.severity.rawValue).utf8)
        out.append(contentsOf: #","source":"eccoe","message":"#.utf8)
        writeString(f.message, into: &out)
        if let code = f.code {
            out.append(contentsOf: #","code":"#.utf8)
            writeString(code, into: &out)
        }
        if let url = f.documentationURL {
            out.append(contentsOf: #","codeDescription":{"href":"#.utf8)
            writeString(url, into: &out)
            out.append(0x7D)
        }
        if let data = f.data {
            out.append(contentsOf: #","data":"#.utf8)
            write(data, into: &out)
        }
        out.append(0x7D)
    }
}
